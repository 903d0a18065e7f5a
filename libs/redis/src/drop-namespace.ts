import type { Redis } from 'ioredis';

/**
 * Deletes every key whose name contains `prefix`: a test's or a benchmark run's namespace. SCAN,
 * not KEYS, so a large Redis is not blocked while it runs. Never point it at a production prefix.
 */
export async function dropNamespace(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `*${prefix}*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
