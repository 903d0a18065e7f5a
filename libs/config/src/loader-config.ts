import type { AppConfig } from './app-config';
import { logSettings, redisSettings } from './app-config';
import type { Env } from './env-readers';

/**
 * What the list loader reads: Redis and the log level. It validates nothing else, so a Kafka or
 * screener setting it never uses (say a bad KAFKA_BROKERS) cannot stop a list load.
 */
export type LoaderConfig = Pick<AppConfig, 'redis' | 'log'>;

export function loadLoaderConfig(env: Env = process.env): LoaderConfig {
  return { redis: redisSettings(env), log: logSettings(env) };
}
