import { createRedisClient, type RedisClient, type RedisTarget } from '@sekimori/redis';

/**
 * The Redis client of the loader's commands (load and update): one that would rather wait than
 * fail fast, queueing while it connects and retrying a command a few times. Its failures surface
 * on the command that needed the connection; `lastError` keeps the cause for the message.
 * `lazyConnect`: a one-shot command connects itself and fails fast on a Redis it cannot reach.
 */
export function toolRedis(
  target: RedisTarget,
  lazyConnect: boolean,
): { redis: RedisClient; lastError: () => Error | undefined } {
  const redis = createRedisClient(target, {
    lazyConnect,
    enableOfflineQueue: true,
    maxRetriesPerRequest: 3,
    connectTimeout: 5_000,
    commandTimeout: undefined,
  });
  let lastError: Error | undefined;
  redis.on('error', (error: Error) => (lastError = error));
  return { redis, lastError: () => lastError };
}
