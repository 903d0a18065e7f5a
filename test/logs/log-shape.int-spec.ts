import { execFile } from 'node:child_process';
import { join } from 'node:path';
import Ajv from 'ajv';
import { version } from '../../package.json';
import { redisEnv, securityEnv, testBrokers, testRedisUrl } from '../support/env';
import { createTopics, deleteTopics, freshTopics, topicEnv } from '../support/kafka';
import { dropPrefix, freshPrefix, itOnSingleRedis, redisClient } from '../support/redis';
import { ROOT, ScreenerProcess } from '../support/screener-process';

jest.setTimeout(120_000);

const LOADER = join(ROOT, 'dist', 'apps', 'list-loader', 'main.js');
const REPLAY = join(ROOT, 'dist', 'apps', 'replay', 'main.js');
const SCREENER = join(ROOT, 'dist', 'apps', 'screener', 'main.js');
const SKIP = join(ROOT, 'dist', 'apps', 'skip', 'main.js');
const EXCERPT = join(ROOT, 'test', 'fixtures', 'lists', 'ok', 'sdn-advanced-excerpt.xml');
const SECRET = 'n0t-the-redis-passw0rd';

// The one shape of every program's JSON lines (docs/operations.md, "Logs").
const LINE_SCHEMA = {
  type: 'object',
  required: ['level', 'time', 'service', 'version', 'pid', 'msg'],
  properties: {
    level: { enum: [10, 20, 30, 40, 50, 60] },
    time: { type: 'string', pattern: '^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$' },
    service: {
      enum: [
        'sekimori-screener',
        'sekimori-list-loader',
        'sekimori-list-updater',
        'sekimori-replay',
        'sekimori-skip',
      ],
    },
    version: { const: version },
    pid: { type: 'integer' },
    msg: { type: 'string' },
    err: {
      type: 'object',
      required: ['type', 'message', 'stack'],
      properties: {
        type: { type: 'string' },
        message: { type: 'string' },
        stack: { type: 'string' },
      },
    },
  },
  not: { anyOf: [{ required: ['app'] }, { required: ['name'] }] },
};
const validate = new Ajv({ allErrors: true }).compile(LINE_SCHEMA);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(main: string, args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [main, ...args],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          ...redisEnv(),
          KAFKA_BROKERS: testBrokers().join(','),
          ...securityEnv(),
          ...env,
        },
        timeout: 90_000,
        maxBuffer: 16 << 20,
      },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: number }).code ?? 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Every line of a JSON log stream, each checked against the one schema. */
function logLines(text: string, what: string): Array<Record<string, unknown>> {
  const lines = text.split('\n').filter((l) => l !== '');
  return lines.map((line) => {
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new Error(`${what}: not a JSON line: ${line}`);
    }
    if (!validate(parsed)) {
      throw new Error(`${what}: ${JSON.stringify(validate.errors)} in ${line}`);
    }
    expect(line).not.toContain(SECRET);
    return parsed;
  });
}

const fatalOnly = (text: string, what: string, service: string, msg: RegExp) =>
  expect(logLines(text, what)).toEqual([
    expect.objectContaining({ level: 60, service, msg: expect.stringMatching(msg) as unknown }),
  ]);

describe('one log shape in every program', () => {
  const prefix = freshPrefix();
  const topics = freshTopics();
  const badLevel = { LOG_LEVEL: 'loud' };
  // A user the local Redis does not know: refused, and the password must not reach the log.
  const withPassword = (): Record<string, string> => {
    const url = new URL(testRedisUrl());
    url.username = 'sekimori-nobody';
    url.password = SECRET;
    return { REDIS_URL: url.toString() };
  };

  beforeAll(() => createTopics(topics, 1));
  afterAll(async () => {
    await deleteTopics(topics);
    const redis = redisClient();
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it('the list loader: a load and a bad configuration', async () => {
    const env = { REDIS_KEY_PREFIX: prefix, ...topicEnv(topics) };
    const loaded = await run(LOADER, [EXCERPT], env);
    expect(loaded.code).toBe(0);
    expect(logLines(loaded.stdout, 'load').map((l) => l.service)).toContain('sekimori-list-loader');
    expect(loaded.stderr).toBe('');

    const fatal = await run(LOADER, [EXCERPT], { ...env, ...badLevel });
    expect(fatal.code).toBe(2);
    fatalOnly(
      fatal.stderr,
      'bad config',
      'sekimori-list-loader',
      /^invalid configuration: LOG_LEVEL/,
    );
    expect(fatal.stdout).toBe('');
  });

  itOnSingleRedis('the list loader: a refused Redis password is logged without it', async () => {
    const refused = await run(LOADER, [EXCERPT], { REDIS_KEY_PREFIX: prefix, ...withPassword() });
    expect(refused.code).toBe(1);
    const [line] = logLines(refused.stdout, 'refused').filter((l) => l.level === 50);
    expect(line).toMatchObject({ err: { type: 'Error' } });
    expect(refused.stderr).toBe('');
  });

  it('the list updater: a bad configuration', async () => {
    const fatal = await run(LOADER, ['update'], { LIST_SOURCES: 'ofac-sdn=ftp://example.org/x' });
    expect(fatal.code).toBe(2);
    fatalOnly(fatal.stderr, 'bad config', 'sekimori-list-updater', /^invalid configuration:/);
  });

  it('replay: a run over an empty range, and a bad configuration', async () => {
    const args = [
      '--topic',
      topics.onchain,
      '--from',
      '2026-01-01T00:00:00Z',
      '--to',
      '2026-01-02T00:00:00Z',
    ];
    const env = { REDIS_KEY_PREFIX: prefix, ...topicEnv(topics) };
    const replayed = await run(REPLAY, args, env);
    expect(replayed.code).toBe(0);
    expect(logLines(replayed.stderr, 'replay').length).toBeGreaterThan(0);

    const fatal = await run(REPLAY, args, { ...env, ...badLevel });
    expect(fatal.code).toBe(2);
    fatalOnly(fatal.stderr, 'bad config', 'sekimori-replay', /^invalid configuration: LOG_LEVEL/);
  });
  it('skip: a bad configuration', async () => {
    const args = [
      '--topic',
      topics.onchain,
      '--partition',
      '0',
      '--offset',
      '0',
      '--reason',
      'test',
    ];
    const fatal = await run(SKIP, args, { ...topicEnv(topics), ...badLevel });
    expect(fatal.code).toBe(2);
    fatalOnly(fatal.stderr, 'bad config', 'sekimori-skip', /^invalid configuration: LOG_LEVEL/);
    expect(fatal.stdout).toBe('');
  });

  it('the screener: a bad configuration, and a start and stop', async () => {
    const fatal = await run(SCREENER, [], { ...badLevel, ...topicEnv(topics) });
    expect(fatal.code).toBe(1);
    fatalOnly(fatal.stderr, 'bad config', 'sekimori-screener', /^invalid configuration: LOG_LEVEL/);
    expect(fatal.stdout).toBe('');

    const screener = await ScreenerProcess.start({ REDIS_KEY_PREFIX: prefix, ...topicEnv(topics) });
    // Its signal handlers are in place once it says it started.
    await screener.waitForLog('the start line', (l) => l.msg === 'sekimori screener started');
    expect(await screener.stop()).toBe(0);
    expect(screener.stderr.join('')).toBe('');
    const lines = screener.logs.map((l) => JSON.stringify(l)).join('\n');
    const levels = new Set(logLines(lines, 'screener').map((l) => l.level));
    expect(levels.has(30)).toBe(true);
  });

  itOnSingleRedis(
    'the screener: a refused Redis password stops the start, without it',
    async () => {
      const refused = await run(SCREENER, [], { ...withPassword(), ...topicEnv(topics) });
      expect(refused.code).toBe(1);
      fatalOnly(refused.stderr, 'refused', 'sekimori-screener', /./);
    },
  );
});
