import Redis from 'ioredis';
import { redisSecurity } from '@sekimori/config';
import { dropNamespace, redisSecurityOptions } from '@sekimori/redis';
import { testRedisUrl, uniqueSuffix } from './env';

export function freshPrefix(): string {
  return `sekimori-test-${uniqueSuffix()}`;
}

export function redisClient(): Redis {
  return new Redis(testRedisUrl(), {
    maxRetriesPerRequest: 2,
    ...redisSecurityOptions(redisSecurity(process.env, testRedisUrl())),
  });
}

/** Deletes every key that carries the test's prefix. */
export const dropPrefix = dropNamespace;
