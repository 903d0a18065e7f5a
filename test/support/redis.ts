import Redis from 'ioredis';
import { testRedisUrl, uniqueSuffix } from './env';

export function freshPrefix(): string {
  return `sekimori-test-${uniqueSuffix()}`;
}

export function redisClient(): Redis {
  return new Redis(testRedisUrl(), { maxRetriesPerRequest: 2 });
}

/** Deletes every key that carries the test's prefix. */
export async function dropPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `*${prefix}*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
