import { guardRedis, type RedisClient } from '@sekimori/redis';
import type { ListKeys } from './list-keys';

/** What the parts of the list store share: one client (without ioredis' keyPrefix) and the keys. */
export interface ListRedis {
  readonly redis: RedisClient;
  readonly keys: ListKeys;
}

/** Runs Redis work, turning an outage into the retriable REDIS_UNAVAILABLE. */
export function guardLists<T>(work: () => Promise<T>): Promise<T> {
  return guardRedis('sanctions list', work);
}
