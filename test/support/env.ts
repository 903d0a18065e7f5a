import { readFileSync } from 'node:fs';

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

const KAFKA_SECURITY_VARIABLE = /^KAFKA_(SECURITY_PROTOCOL|SASL_|SSL_)/;
const REDIS_SECURITY_VARIABLE = /^REDIS_(TLS_|USERNAME|PASSWORD)/;

function variablesOf(pattern: RegExp): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => pattern.test(entry[0]) && entry[1] !== undefined,
    ),
  );
}

/** STACK_SECURE=1: the run is on the SASL_SSL listener and the TLS Redis (set by global-setup). */
export const onSecuredStack = (): boolean => process.env.STACK_SECURE === '1';

/** The run's Kafka security settings (KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_*, KAFKA_SSL_*). */
export const kafkaSecurityEnv = (): Record<string, string> => variablesOf(KAFKA_SECURITY_VARIABLE);

/** The run's Redis security settings (REDIS_TLS_*, REDIS_USERNAME, REDIS_PASSWORD*). */
export const redisSecurityEnv = (): Record<string, string> => variablesOf(REDIS_SECURITY_VARIABLE);

/**
 * The Kafka and Redis security settings of this run (set by global-setup with STACK_SECURE=1),
 * for the processes a test starts: they get an explicit environment, not the test's.
 */
export function securityEnv(): Record<string, string> {
  return { ...kafkaSecurityEnv(), ...redisSecurityEnv() };
}

/**
 * How a client reaches the run's broker, as the services read it: KAFKA_BROKERS and the
 * security settings. A test's private broker has its own (IsolatedBroker.kafkaEnv()).
 */
export function kafkaEnv(): Record<string, string> {
  return { KAFKA_BROKERS: testBrokers().join(','), ...kafkaSecurityEnv() };
}

/**
 * What a client needs for a stack's SASL_SSL listener (SCRAM-SHA-512, the stack's CA), from the
 * STACK_SASL_SSL_* variables scripts/stack/kafka.sh writes, as KAFKA_* settings.
 */
export function saslSslClientEnv(stack: Record<string, string>): Record<string, string> {
  return {
    KAFKA_BROKERS: stack.STACK_SASL_SSL_BROKERS,
    KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
    KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
    KAFKA_SASL_USERNAME: stack.STACK_SASL_SSL_USERNAME,
    KAFKA_SASL_PASSWORD_FILE: stack.STACK_SASL_SSL_PASSWORD_FILE,
    KAFKA_SSL_CA_FILE: stack.STACK_SASL_SSL_CA_FILE,
  };
}

/** A stack script's env file: plain KEY=value lines (no quoting, no expansion). */
export function parseEnvFile(path: string): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match) {
      entries[match[1]] = match[2];
    }
  }
  return entries;
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
