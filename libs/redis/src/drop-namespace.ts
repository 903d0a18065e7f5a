import type Redis from 'ioredis';
import { isCluster, type RedisClient, readyNodes } from './create-redis';

/**
 * Deletes every key whose name contains `prefix`: a test's or a benchmark run's namespace. SCAN,
 * not KEYS, so a large Redis is not blocked while it runs; on a cluster, on every master. Never
 * point it at a production prefix.
 */
export async function dropNamespace(redis: RedisClient, prefix: string): Promise<void> {
  const perKey = isCluster(redis);
  for (const node of await readyNodes(redis)) {
    await scanNode(node, `*${prefix}*`, async (keys) => {
      // A cluster node holds many slots, and refuses a DEL of keys from two of them.
      if (perKey) await Promise.all(keys.map((key) => node.del(key)));
      else await node.del(...keys);
    });
  }
}

/** Every key matching `pattern`, on every master of a cluster (tests and tools, never the path). */
export async function keysMatching(redis: RedisClient, pattern: string): Promise<string[]> {
  const found = new Set<string>();
  for (const node of await readyNodes(redis)) {
    await scanNode(node, pattern, (keys) => {
      for (const key of keys) found.add(key);
      return Promise.resolve();
    });
  }
  return [...found].sort();
}

async function scanNode(
  node: Redis,
  pattern: string,
  page: (keys: string[]) => Promise<void>,
): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    if (keys.length > 0) await page(keys);
    cursor = next;
  } while (cursor !== '0');
}
