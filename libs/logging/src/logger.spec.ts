import { Writable } from 'node:stream';
import { version } from '../../../package.json';
import { createServiceLogger, scrubSecrets } from './logger';

function capture(): { stream: Writable; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const lines = (): Array<Record<string, unknown>> =>
    chunks
      .join('')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { stream, lines };
}

describe('createServiceLogger', () => {
  it('writes numeric level, ISO time, service and version', () => {
    const { stream, lines } = capture();
    const log = createServiceLogger({ service: 'sekimori-test', destination: stream });
    log.warn({ topic: 't' }, 'hello');
    const [line] = lines();
    expect(line).toMatchObject({ level: 40, service: 'sekimori-test', version, msg: 'hello' });
    expect(new Date(line.time as string).toISOString()).toBe(line.time);
    expect(line).not.toHaveProperty('app');
  });

  it('serialises an error as type, message and stack, with its cause', () => {
    const { stream, lines } = capture();
    const log = createServiceLogger({ service: 's', destination: stream });
    log.error({ err: new TypeError('bad', { cause: new Error('root') }) }, 'failed');
    const err = lines()[0].err as Record<string, unknown>;
    expect(err).toMatchObject({ type: 'TypeError', message: 'bad', cause: { message: 'root' } });
    expect(err.stack).toContain('TypeError: bad');
  });

  it('redacts secrets by field, in URLs of messages, fields and errors', () => {
    const { stream, lines } = capture();
    const log = createServiceLogger({ service: 's', destination: stream });
    log.info(
      {
        password: 'p1',
        sasl: { mechanism: 'scram-sha-512', password: 'p2' },
        config: { kafka: { security: { sasl: { password: 'p3' } } } },
        headers: { authorization: 'Bearer t0k' },
        url: 'redis://user:p4@redis:6379/0',
        err: new Error('cannot reach rediss://:p5@host:6380'),
      },
      'connecting to redis://default:p6@host',
    );
    const text = JSON.stringify(lines()[0]);
    for (const secret of ['p1', 'p2', 'p3', 't0k', 'p4', 'p5', 'p6']) {
      expect(text).not.toContain(`${secret}`);
    }
    expect(text).toContain('redis://user:[redacted]@redis:6379/0');
  });

  it('keeps customer names out', () => {
    const { stream, lines } = capture();
    const log = createServiceLogger({ service: 's', destination: stream });
    log.info({ event: { counterparty: { name: 'YAMADA Taro' }, eventId: 'e1' } }, 'x');
    expect(JSON.stringify(lines()[0])).not.toContain('YAMADA');
  });

  it('keeps kana readings and travel-rule data (names, birth dates, id numbers) out', () => {
    const { stream, lines } = capture();
    const log = createServiceLogger({ service: 's', destination: stream });
    const person = { naturalPerson: { name: 'SATO Hanako', dateAndPlaceOfBirth: '1980-01-02' } };
    const travelRule = { originator: { originatorPersons: [person] } };
    log.info(
      {
        event: {
          eventId: 'e1',
          account: { name: 'YAMADA Taro', nameKana: 'ヤマダ タロウ' },
          counterparty: { nameKana: 'スズキ イチロウ' },
          travelRule,
        },
      },
      'x',
    );
    log.info({ account: { name: 'YAMADA Taro', nameKana: 'ヤマダ' }, travelRule }, 'y');
    const text = JSON.stringify(lines());
    for (const secret of ['YAMADA', 'ヤマダ', 'スズキ', 'SATO', '1980']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('e1');
  });
});

describe('scrubSecrets', () => {
  it.each([
    ['redis://:pw@h:6379', 'redis://:[redacted]@h:6379'],
    ['https://u:pw@x.example/a', 'https://u:[redacted]@x.example/a'],
    ['no url here', 'no url here'],
    ['mail me at a@b.example', 'mail me at a@b.example'],
  ])('%s', (input, output) => {
    expect(scrubSecrets(input)).toBe(output);
  });
});
