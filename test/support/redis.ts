import { readFileSync } from 'node:fs';
import Redis from 'ioredis';
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
  const adminPasswordFile = process.env.STACK_REDIS_TLS_ADMIN_PASSWORD_FILE;
  return new Redis(testRedisUrl(), {
    maxRetriesPerRequest: 2,
    ...redisSecurityOptions(redisSecurity(process.env, testRedisUrl())),
    ...(adminPasswordFile
      ? { username: 'admin', password: readFileSync(adminPasswordFile, 'utf8').trim() }
      : {}),
  });
}

/** Deletes every key that carries the test's prefix (on every master of a cluster). */
export const dropPrefix = dropNamespace;

/** `it` for what only a single Redis can show (killing the client's one connection, and such). */
export const itOnSingleRedis: jest.It = onRedisCluster() ? it.skip : it;
