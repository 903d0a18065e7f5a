import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type Redis from 'ioredis';
import type { Alert, TopicNames } from '@sekimori/contracts';
import { redisSecurity } from '@sekimori/config';
import { createRedis, dropNamespace } from '@sekimori/redis';
import { waitFor } from '../support/env';
import { json, onchainTransfer } from '../support/fixtures';
import {
  createTopics,
  deleteTopics,
  disconnectProducer,
  freshTopics,
  produce,
  TopicCollector,
  topicEnv,
} from '../support/kafka';
import { freshPrefix } from '../support/redis';
import { ROOT, ScreenerProcess } from '../support/screener-process';

jest.setTimeout(120_000);

const run = promisify(execFile);
const GARANTEX_ETH = '0x7FF9cFad3877F21d41Da833E2F775dB0569eE3D9';
const LIST_FILE = join(ROOT, 'test', 'fixtures', 'lists', 'ok', 'sdn-advanced-excerpt.xml');
const STACK_SCRIPTS = join(ROOT, 'scripts', 'stack');

function stackValue(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set: the stack's broker has no SASL_SSL listener (started before it had one); restart it: npm run stack:down && npm run stack:up`,
    );
  }
  return value;
}

function envFile(path: string): Record<string, string> {
  return Object.fromEntries(
    readFileSync(path, 'utf8')
      .split('\n')
      .map((line) => /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1], m[2]]),
  );
}

describe('secured transport: Kafka over SASL_SSL with SCRAM-SHA-512, Redis over TLS as an ACL user', () => {
  // A private TLS Redis (about a second to start), so that its ACL and certificates are this test's.
  const redisDir = mkdtempSync(join(tmpdir(), 'sekimori-redis-tls-'));
  const otherCaDir = mkdtempSync(join(tmpdir(), 'sekimori-other-ca-'));
  const prefix = freshPrefix();
  let topics: TopicNames;
  let kafkaEnv: Record<string, string>;
  let redisUrl: string;
  let redisPassword: string;
  let redisCa: string;
  let admin: Redis;
  let screener: ScreenerProcess | null = null;

  const redisTls = (command: 'start' | 'stop') =>
    run('bash', [join(STACK_SCRIPTS, 'redis-tls.sh'), command], {
      env: { ...process.env, STACK_DIR: redisDir, REDIS_TLS_PORT_BASE: '16390' },
    });

  beforeAll(async () => {
    const kafkaPassword = readFileSync(stackValue('STACK_SASL_SSL_PASSWORD_FILE'), 'utf8').trim();
    kafkaEnv = {
      KAFKA_BROKERS: stackValue('STACK_SASL_SSL_BROKERS'),
      KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: stackValue('STACK_SASL_SSL_USERNAME'),
      // Given directly, not as a file, so that the log check below knows what to look for.
      KAFKA_SASL_PASSWORD: kafkaPassword,
      KAFKA_SASL_PASSWORD_FILE: '',
      KAFKA_SSL_CA_FILE: stackValue('STACK_SASL_SSL_CA_FILE'),
    };
    await Promise.all([
      redisTls('start'),
      run('bash', [join(STACK_SCRIPTS, 'tls.sh'), otherCaDir]),
    ]);
    const redis = envFile(join(redisDir, 'redis-tls.env'));
    redisPassword = readFileSync(redis.STACK_REDIS_TLS_PASSWORD_FILE, 'utf8').trim();
    redisCa = redis.STACK_REDIS_TLS_CA_FILE;
    // The password in the URL: the form most likely to leak into a log line.
    redisUrl = redis.STACK_REDIS_TLS_URL.replace(
      'rediss://',
      `rediss://sekimori:${redisPassword}@`,
    );
    const adminPassword = readFileSync(redis.STACK_REDIS_TLS_ADMIN_PASSWORD_FILE, 'utf8').trim();
    const adminUrl = redis.STACK_REDIS_TLS_URL.replace(
      'rediss://',
      `rediss://admin:${adminPassword}@`,
    );
    admin = createRedis(adminUrl, redisSecurity({ REDIS_TLS_CA_FILE: redisCa }, adminUrl), {
      enableOfflineQueue: true,
    });
    topics = freshTopics();
    await createTopics(topics);
  });

  afterAll(async () => {
    await screener?.stop('SIGTERM');
    await disconnectProducer();
    await deleteTopics(topics);
    await dropNamespace(admin, prefix).catch(() => undefined);
    admin.disconnect();
    await redisTls('stop');
    rmSync(redisDir, { recursive: true, force: true });
    rmSync(otherCaDir, { recursive: true, force: true });
  });

  /** Everything but Kafka's settings: Redis over TLS as the ACL user, the test's topics. */
  function screenerEnv(kafka: Record<string, string>): Record<string, string> {
    return {
      ...topicEnv(topics),
      ...kafka,
      REDIS_URL: redisUrl,
      REDIS_TLS_CA_FILE: redisCa,
      // A secured run (STACK_SECURE=1) sets these for every process; here the URL carries them.
      REDIS_USERNAME: '',
      REDIS_PASSWORD: '',
      REDIS_PASSWORD_FILE: '',
      REDIS_KEY_PREFIX: prefix,
    };
  }

  it('loads a list as the ACL user over TLS, and the user can do nothing else', async () => {
    await run(process.execPath, [join(ROOT, 'dist', 'apps', 'list-loader', 'main.js'), LIST_FILE], {
      env: {
        PATH: process.env.PATH ?? '',
        REDIS_URL: redisUrl,
        REDIS_TLS_CA_FILE: redisCa,
        REDIS_KEY_PREFIX: prefix,
        // The new version is announced on lists.v1, over the secured listener as well.
        ...kafkaEnv,
        TOPIC_LISTS: topics.lists,
      },
    });
    const user = createRedis(redisUrl, redisSecurity({ REDIS_TLS_CA_FILE: redisCa }, redisUrl), {
      enableOfflineQueue: true,
    });
    try {
      await expect(user.get(`{${prefix}}:lists:ofac-sdn:current`)).resolves.toMatch(/\S/);
      await expect(user.flushall()).rejects.toThrow(/NOPERM/);
      await expect(user.config('GET', 'dir')).rejects.toThrow(/NOPERM/);
      await expect(user.get('someone-else:key')).rejects.toThrow(/NOPERM/);
    } finally {
      user.disconnect();
    }
  });

  it('screens a Garantex transfer end to end, and no password reaches any log line', async () => {
    const alerts = await new TopicCollector(topics.alerts).start();
    try {
      screener = await ScreenerProcess.start(screenerEnv(kafkaEnv));
      const event = onchainTransfer({ to: GARANTEX_ETH });
      await produce(topics.onchain, [{ key: String(event.eventId), value: json(event) }]);
      const [alert] = await waitFor('the Garantex alert', () => {
        const found = alerts.json<Alert>().filter((a) => a.eventId === event.eventId);
        return found.length > 0 && found;
      });
      expect(alert.ruleId).toBe('SANCTIONS_ADDRESS_MATCH');
      expect(alert.matches?.[0]?.entityName).toMatch(/garantex/i);

      const started = await screener.waitForLog(
        'the start line',
        (l) => l.msg === 'sekimori screener started',
      );
      // The configuration is on the start line, with each password in its place replaced.
      expect(started).toMatchObject({
        config: {
          kafka: { security: { protocol: 'SASL_SSL', sasl: { password: '[redacted]' } } },
          redis: { url: expect.stringContaining('sekimori:***@') as unknown },
        },
      });
      await screener.stop('SIGTERM');
      const everything = [...screener.logs.map((l) => JSON.stringify(l)), ...screener.stderr].join(
        '\n',
      );
      expect(everything).not.toContain(kafkaEnv.KAFKA_SASL_PASSWORD);
      expect(everything).not.toContain(redisPassword);
    } finally {
      await alerts.stop();
    }
  });

  async function exitOf(
    env: Record<string, string>,
    redis: Record<string, string> = {},
  ): Promise<{ ms: number; stderr: string }> {
    const t0 = Date.now();
    const failing = new ScreenerProcess({ ...screenerEnv(env), ...redis });
    failing.spawn();
    await waitFor('the screener to exit', () => !failing.running, 20_000);
    expect(failing.exitCode).not.toBe(0);
    expect(failing.exitCode).not.toBeNull();
    return { ms: Date.now() - t0, stderr: failing.stderr.join('') };
  }

  it('stops at start, naming authentication, when the password is wrong', async () => {
    const { ms, stderr } = await exitOf({ ...kafkaEnv, KAFKA_SASL_PASSWORD: 'not-the-password' });
    expect(stderr).toMatch(/SASL authentication failed/);
    expect(stderr).not.toContain('not-the-password');
    expect(ms).toBeLessThan(15_000);
  });

  it('stops at start, naming the certificate, when the broker is signed by a CA it does not trust', async () => {
    const { ms, stderr } = await exitOf({
      ...kafkaEnv,
      KAFKA_SSL_CA_FILE: join(otherCaDir, 'ca.pem'),
    });
    expect(stderr).toMatch(/TLS certificate verification failed/);
    expect(stderr).toMatch(/certificate/);
    expect(ms).toBeLessThan(15_000);
  });

  it('stops at start, naming the credentials, when Redis refuses the password', async () => {
    const { ms, stderr } = await exitOf(kafkaEnv, {
      REDIS_URL: redisUrl.replace(redisPassword, 'not-the-redis-password'),
    });
    expect(stderr).toMatch(/Redis refused the credentials.*WRONGPASS/);
    expect(stderr).not.toContain('not-the-redis-password');
    expect(ms).toBeLessThan(15_000);
  });

  it('stops at start, naming the certificate, when Redis is signed by a CA it does not trust', async () => {
    const { stderr } = await exitOf(kafkaEnv, { REDIS_TLS_CA_FILE: join(otherCaDir, 'ca.pem') });
    expect(stderr).toMatch(/Redis TLS certificate verification failed/);
  });
});
