import Redis from 'ioredis';

/**
 * Fail fast instead of queueing: while Redis is away a command errors at once, the batch in
 * hand is held and retried by the consumer, and no event is screened against nothing.
 */
export function createRedis(url: string): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 3_000,
    connectTimeout: 3_000,
    retryStrategy: (attempt) => Math.min(100 * attempt, 2_000),
    lazyConnect: false,
  });
  // Without a listener ioredis prints "[ioredis] Unhandled error event" to stderr on every
  // reconnect attempt of an outage. The outage is reported where it matters: each held batch
  // logs the command's error, and the health check pings.
  redis.on('error', () => undefined);
  return redis;
}
