import Redis from 'ioredis';
import type { RedisSecurity } from '@sekimori/config';
import { redisSecurityOptions } from './create-redis';

export type RedisAccessFailure = 'authentication' | 'certificate' | 'mode';

/** Refused credentials or commands (ACL), as Redis words them (NOAUTH, WRONGPASS, NOPERM). */
const AUTH_FAILURE = /^(NOAUTH|WRONGPASS|NOPERM)\b|invalid password|invalid username-password/i;
const TLS_FAILURE = /CERT|SELF_SIGNED|UNABLE_TO_|^ERR_SSL_|^ERR_TLS_/;

/** Whether an ioredis error is a credential or certificate problem, which no retry will cure. */
export function redisAccessFailure(error: unknown): RedisAccessFailure | null {
  // Structural, not instanceof: socket errors may come from another realm (a test sandbox).
  if (typeof error !== 'object' || error === null) return null;
  const { message, code } = error as { message?: unknown; code?: unknown };
  if (typeof message === 'string' && AUTH_FAILURE.test(message)) return 'authentication';
  return typeof code === 'string' && TLS_FAILURE.test(code) ? 'certificate' : null;
}

/** Redis refused our credentials or we refused its certificate: fatal at start. */
export class RedisAccessError extends Error {
  constructor(
    readonly failure: RedisAccessFailure,
    message: string,
  ) {
    super(message);
    this.name = 'RedisAccessError';
  }
}

/**
 * One connection and PING at start. A Redis that is down is no reason not to start (batches are
 * held until it is back), but a wrong password or an untrusted certificate would hold them for
 * ever while looking like an outage; those stop the start, by name. So does a node whose
 * cluster mode is not REDIS_CLUSTER's: every command would be redirected or refused for ever.
 */
export async function verifyRedisAccess(
  url: string,
  security: RedisSecurity,
  timeoutMs = 3_000,
  cluster = false,
): Promise<void> {
  let failure: RedisAccessError | null = null;
  const redis = new Redis(url, {
    ...redisSecurityOptions(security),
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', (error: Error) => {
    const kind = redisAccessFailure(error);
    if (kind !== null && failure === null)
      failure = new RedisAccessError(kind, describe(kind, error));
  });
  try {
    await redis.connect();
    await redis.ping();
    const enabled = clusterEnabled(await redis.info('cluster').catch(() => ''));
    if (enabled !== null && enabled !== cluster) {
      failure = new RedisAccessError('mode', describeMode(cluster));
    }
  } catch (error) {
    const kind = redisAccessFailure(error);
    if (kind !== null && failure === null)
      failure = new RedisAccessError(kind, describe(kind, error));
  } finally {
    redis.disconnect();
  }
  if (failure !== null) throw failure;
}

/** `cluster_enabled` of INFO cluster; null when the server did not say (INFO refused). */
function clusterEnabled(info: string): boolean | null {
  const match = /^cluster_enabled:(\d)/m.exec(info);
  return match === null ? null : match[1] === '1';
}

function describeMode(cluster: boolean): string {
  return cluster
    ? 'REDIS_CLUSTER is true, but the Redis at REDIS_URL is not a cluster node (cluster_enabled:0)'
    : 'the Redis at REDIS_URL is a cluster node (cluster_enabled:1): set REDIS_CLUSTER=true';
}

function describe(kind: RedisAccessFailure, error: unknown): string {
  const detail = (error as { message?: unknown }).message ?? String(error);
  return kind === 'authentication'
    ? `Redis refused the credentials (REDIS_URL, REDIS_USERNAME, REDIS_PASSWORD): ${detail}`
    : `Redis TLS certificate verification failed (REDIS_TLS_CA_FILE, REDIS_TLS_SERVER_NAME): ${detail}`;
}
