/** Where the integration tests find the real broker and Redis (set by global-setup from the stack). */
export const testBrokers = (): string[] =>
  (process.env.KAFKA_BROKERS ?? 'localhost:9092').split(',');
export const testRedisUrl = (): string => process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** REDIS_CLUSTER_TEST=1: the run's Redis is the stack's local cluster (set by global-setup). */
export const onRedisCluster = (): boolean => process.env.REDIS_CLUSTER === 'true';

/** Where the processes a test starts find Redis: REDIS_URL, and REDIS_CLUSTER on a cluster run. */
export function redisEnv(): Record<string, string> {
  return { REDIS_URL: testRedisUrl(), ...(onRedisCluster() ? { REDIS_CLUSTER: 'true' } : {}) };
}

const SECURITY_VARIABLE = /^(KAFKA_(SECURITY_PROTOCOL|SASL_|SSL_)|REDIS_(TLS_|USERNAME|PASSWORD))/;

/**
 * The Kafka and Redis security settings of this run (set by global-setup with STACK_SECURE=1),
 * for the processes a test starts: they get an explicit environment, not the test's.
 */
export function securityEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] =>
        SECURITY_VARIABLE.test(entry[0]) && entry[1] !== undefined,
    ),
  );
}

export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Polls until the condition holds; fails with the description when the time is up. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 30_000,
  everyMs = 50,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
