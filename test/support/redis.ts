import { readFileSync } from 'node:fs';
import Redis from 'ioredis';
import { redisSecurity } from '@sekimori/config';
import { dropNamespace, redisSecurityOptions } from '@sekimori/redis';
import { testRedisUrl, uniqueSuffix } from './env';

export function freshPrefix(): string {
  return `sekimori-test-${uniqueSuffix()}`;
}

/**
 * The tests' own client. On a secured run (STACK_SECURE=1) it is the TLS Redis's admin: tests
 * inspect keys with commands (KEYS, DUMP, SUBSCRIBE) that the services' ACL user rightly lacks.
 */
export function redisClient(): Redis {
  const adminPasswordFile = process.env.STACK_REDIS_TLS_ADMIN_PASSWORD_FILE;
  return new Redis(testRedisUrl(), {
    maxRetriesPerRequest: 2,
    ...redisSecurityOptions(redisSecurity(process.env, testRedisUrl())),
    ...(adminPasswordFile
      ? { username: 'admin', password: readFileSync(adminPasswordFile, 'utf8').trim() }
      : {}),
  });
}

/** Deletes every key that carries the test's prefix. */
export const dropPrefix = dropNamespace;
