import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createTopicsAndWait } from '@sekimori/kafka';
import { kafkaEnv, testBrokers, uniqueSuffix, waitFor } from '../support/env';
import { type JavaCompression, produceWithJava } from '../support/java-producer';
import { disconnectProducer, kafka, produce } from '../support/kafka';

jest.setTimeout(120_000);

const ROOT = resolve(__dirname, '..', '..');

/** Runs tools/tail-topic.js and gathers what it prints. */
function startTail(topic: string): {
  child: ChildProcessWithoutNullStreams;
  out: () => string;
  err: () => string;
  exit: Promise<number | null>;
} {
  const child = spawn(process.execPath, [join(ROOT, 'tools', 'tail-topic.js'), topic], {
    cwd: ROOT,
    env: { ...process.env, KAFKA_BROKERS: testBrokers().join(',') },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const exit = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, out: () => out, err: () => err, exit };
}

describe('tools/tail-topic.js on the real broker', () => {
  const admin = kafka.admin();
  const topic = `t.tail.${uniqueSuffix()}`;

  beforeAll(async () => {
    await admin.connect();
    await createTopicsAndWait(admin, [topic], 2);
  });

  afterAll(async () => {
    await disconnectProducer();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('prints each message as a JSON line and leaves no consumer group behind on Ctrl-C', async () => {
    await produce(topic, [
      {
        key: 'k-1',
        value: JSON.stringify({ n: 1 }),
        headers: { 'dlq-error-code': 'INVALID_JSON' },
      },
      { key: 'k-2', value: 'not json' },
    ]);
    const tail = startTail(topic);
    try {
      const lines = await waitFor('both messages on stdout', () => {
        const parsed = tail
          .out()
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as { key: string; value: unknown; headers?: object });
        return parsed.length >= 2 && parsed;
      });
      expect(lines.map((l) => l.key).sort()).toEqual(['k-1', 'k-2']);
      expect(lines.find((l) => l.key === 'k-1')).toMatchObject({
        value: { n: 1 },
        headers: { 'dlq-error-code': 'INVALID_JSON' },
      });
      expect(lines.find((l) => l.key === 'k-2')?.value).toBe('not json');

      const groupId = /consumer group (sekimori-tail-\S+),/.exec(tail.err())?.[1];
      expect(groupId).toBeDefined();
      // While it runs, the group exists: the check after the exit is not vacuous.
      const { groups: running } = await admin.listGroups();
      expect(running.map((g) => g.groupId)).toContain(groupId);

      tail.child.kill('SIGINT');
      expect(await tail.exit).toBe(0);
      const { groups: after } = await admin.listGroups();
      expect(after.map((g) => g.groupId)).not.toContain(groupId);
    } finally {
      tail.child.kill('SIGKILL');
    }
  });

  it.each<JavaCompression>(['gzip', 'snappy', 'lz4', 'zstd'])(
    'prints records a Java producer compressed with %s',
    async (codec) => {
      const compressed = `t.tail.${codec}.${uniqueSuffix()}`;
      await createTopicsAndWait(admin, [compressed], 1);
      await produceWithJava(
        kafkaEnv(),
        [
          { topic: compressed, key: 'j-1', value: JSON.stringify({ codec }) },
          { topic: compressed, key: null, value: 'not json' },
        ],
        { compression: codec },
      );
      const tail = startTail(compressed);
      try {
        const lines = await waitFor(`both ${codec} records on stdout`, () => {
          const parsed = tail
            .out()
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line) as { key: string | null; value: unknown });
          return parsed.length >= 2 && parsed;
        });
        expect(lines.map((l) => l.value)).toEqual([{ codec }, 'not json']);
        tail.child.kill('SIGINT');
        expect(await tail.exit).toBe(0);
      } finally {
        tail.child.kill('SIGKILL');
        await admin.deleteTopics({ topics: [compressed] }).catch(() => undefined);
      }
    },
  );

  it('refuses a topic that does not exist instead of creating it', async () => {
    const missing = `t.tail.missing.${uniqueSuffix()}`;
    const tail = startTail(missing);
    expect(await tail.exit).toBe(2);
    expect(tail.err()).toContain(`no topic '${missing}'`);
    expect(await admin.listTopics()).not.toContain(missing);
  });
});
