import Redis, { type RedisOptions } from 'ioredis';
import { type RedisSecurity, tlsConnectionOptions } from '@sekimori/config';

/**
 * Fail fast instead of queueing: while Redis is away a command errors at once, the batch in
 * hand is held and retried by the consumer, and no event is screened against nothing.
 * `overrides` are for tools that would rather wait (the list loader); security is never
 * overridden.
 */
export function createRedis(
  url: string,
  security?: RedisSecurity,
  overrides: RedisOptions = {},
): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 3_000,
    connectTimeout: 3_000,
    retryStrategy: (attempt) => Math.min(100 * attempt, 2_000),
    lazyConnect: false,
    ...overrides,
    ...(security ? redisSecurityOptions(security) : {}),
  });
  // Without a listener ioredis prints "[ioredis] Unhandled error event" to stderr on every
  // reconnect attempt of an outage. The outage is reported where it matters: each held batch
  // logs the command's error, and the health check pings.
  redis.on('error', () => undefined);
  return redis;
}

/** ioredis options for REDIS_USERNAME/REDIS_PASSWORD and the REDIS_TLS_* files. */
export function redisSecurityOptions(security: RedisSecurity): RedisOptions {
  return {
    ...(security.tls === null ? {} : { tls: tlsConnectionOptions(security.tls) }),
    ...(security.username === null ? {} : { username: security.username }),
    ...(security.password === null ? {} : { password: security.password }),
  };
}
