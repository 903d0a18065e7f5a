import { once } from 'node:events';
import Redis, { Cluster, type ClusterOptions, type RedisOptions } from 'ioredis';
import { type RedisSecurity, tlsConnectionOptions } from '@sekimori/config';

/** A single Redis or a Redis Cluster: the stores use only what both answer alike. */
export type RedisClient = Redis | Cluster;

/** Where Redis is (AppConfig's `redis`): one URL, and whether it names a cluster node. */
export interface RedisTarget {
  url: string;
  security?: RedisSecurity;
  cluster?: boolean;
}

/** Fail-fast timings shared by the single client and every node connection of a cluster. */
const FAIL_FAST = {
  maxRetriesPerRequest: 1,
  commandTimeout: 3_000,
  connectTimeout: 3_000,
} satisfies RedisOptions;

const backOff = (attempt: number): number => Math.min(100 * attempt, 2_000);

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
    ...FAIL_FAST,
    retryStrategy: backOff,
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

/**
 * The client for a target: `createRedis` for a single Redis, else ioredis' cluster client
 * seeded with REDIS_URL's node, with the same fail-fast options on every node connection.
 */
export function createRedisClient(target: RedisTarget, overrides: RedisOptions = {}): RedisClient {
  if (!target.cluster) return createRedis(target.url, target.security, overrides);
  const cluster = new Cluster([seedNode(target.url)], clusterOptions(target, overrides));
  cluster.on('error', () => undefined);
  return cluster;
}

/** ioredis' cluster options for a target; exported for the start-up check and tests. */
export function clusterOptions(target: RedisTarget, overrides: RedisOptions = {}): ClusterOptions {
  const { lazyConnect, retryStrategy, enableOfflineQueue, ...nodeOverrides } = overrides;
  const url = new URL(target.url);
  return {
    // Cluster-wide: no queue while the slot map is unknown, as no queue on a single Redis.
    enableOfflineQueue: enableOfflineQueue ?? false,
    lazyConnect: lazyConnect ?? false,
    clusterRetryStrategy: typeof retryStrategy === 'function' ? retryStrategy : backOff,
    slotsRefreshTimeout: FAIL_FAST.connectTimeout,
    redisOptions: {
      ...FAIL_FAST,
      ...nodeOverrides,
      // The seed URL's credentials and TLS are every node's: a cluster has one ACL and one CA.
      ...(url.username === '' ? {} : { username: decodeURIComponent(url.username) }),
      ...(url.password === '' ? {} : { password: decodeURIComponent(url.password) }),
      ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
      ...(target.security ? redisSecurityOptions(target.security) : {}),
    },
  };
}

/** The node REDIS_URL names; the cluster client learns the others from it (CLUSTER SLOTS). */
function seedNode(redisUrl: string): { host: string; port: number } {
  const url = new URL(redisUrl);
  return { host: url.hostname, port: url.port === '' ? 6379 : Number(url.port) };
}

/** ioredis options for REDIS_USERNAME/REDIS_PASSWORD and the REDIS_TLS_* files. */
export function redisSecurityOptions(security: RedisSecurity): RedisOptions {
  return {
    ...(security.tls === null ? {} : { tls: tlsConnectionOptions(security.tls) }),
    ...(security.username === null ? {} : { username: security.username }),
    ...(security.password === null ? {} : { password: security.password }),
  };
}

/** Whether a client is ioredis' cluster client. */
export function isCluster(redis: RedisClient): redis is Cluster {
  return redis instanceof Cluster;
}

/**
 * The connections that hold data: the client itself, or every master of a cluster (SCAN,
 * health pings and INFO are per node).
 */
export function dataNodes(redis: RedisClient): Redis[] {
  return isCluster(redis) ? redis.nodes('master') : [redis];
}

/**
 * `dataNodes` once a cluster client knows its masters (they are learnt on connecting): a scan
 * of a cluster whose slot map is not read yet would see no node and find nothing.
 */
export async function readyNodes(redis: RedisClient, timeoutMs = 10_000): Promise<Redis[]> {
  if (isCluster(redis) && redis.status !== 'ready') {
    if (redis.status === 'wait') await redis.connect();
    else await once(redis, 'ready', { signal: AbortSignal.timeout(timeoutMs) });
  }
  return dataNodes(redis);
}
