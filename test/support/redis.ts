import { readFileSync } from 'node:fs';
import Redis, { type RedisOptions } from 'ioredis';
import { redisSecurity } from '@sekimori/config';
import {
  createRedisClient,
  dropNamespace,
  type RedisClient,
  redisSecurityOptions,
} from '@sekimori/redis';
import { onRedisCluster, testRedisUrl, uniqueSuffix } from './env';

export function freshPrefix(): string {
  return `sekimori-test-${uniqueSuffix()}`;
}

/**
 * The tests' own client. On a secured run (STACK_SECURE=1) it is the TLS Redis's admin: tests
 * inspect keys with commands (KEYS, DUMP, SUBSCRIBE) that the services' ACL user rightly lacks.
 */
export function redisClient(): RedisClient {
  if (onRedisCluster()) {
    // ioredis' defaults (queue while connecting), as the single client below has.
    return createRedisClient(
      { url: testRedisUrl(), cluster: true },
      { enableOfflineQueue: true, maxRetriesPerRequest: 2, commandTimeout: undefined },
    );
  }
  return redisClientFor(testRedisUrl());
}

/**
 * A single-Redis client for `url` (the run's Redis or a test's private one) with the run's
 * security settings: TLS with the stack's CA and the admin user on a secured run, plain otherwise.
 */
export function redisClientFor(url: string, options: RedisOptions = {}): Redis {
  const adminPasswordFile = process.env.STACK_REDIS_TLS_ADMIN_PASSWORD_FILE;
  return new Redis(url, {
    maxRetriesPerRequest: 2,
    ...redisSecurityOptions(redisSecurity(process.env, url)),
    ...(adminPasswordFile
      ? { username: 'admin', password: readFileSync(adminPasswordFile, 'utf8').trim() }
      : {}),
    ...options,
  });
}

/** Deletes every key that carries the test's prefix (on every master of a cluster). */
export const dropPrefix = dropNamespace;

/** `it` for what only a single Redis can show (killing the client's one connection, and such). */
export const itOnSingleRedis: jest.It = onRedisCluster() ? it.skip : it;

/**
 * The stores' test set-up: one client for the file, a fresh key prefix for each test, and that
 * prefix's keys dropped after it. Read `redis` and `prefix` inside hooks and tests.
 */
export function redisPerTest(): { readonly redis: RedisClient; readonly prefix: string } {
  const state = {} as { redis: RedisClient; prefix: string };
  beforeAll(() => {
    state.redis = redisClient();
  });
  afterAll(async () => {
    await state.redis.quit();
  });
  beforeEach(() => {
    state.prefix = freshPrefix();
  });
  afterEach(async () => {
    await dropPrefix(state.redis, state.prefix);
  });
  return state;
}
