import { DEFAULT_TOPICS } from '@sekimori/contracts';
import type { AppConfig } from './app-config';
import { logSettings, redisSettings } from './app-config';
import { bool, brokers, type Env, int, str, topic } from './env-readers';
import { type KafkaSecurity, kafkaSecurity } from './transport-security';

/**
 * What the list loader reads: Redis, the log level and how many versions to keep. It validates
 * nothing else up front, so a Kafka or screener setting it does not need for a load cannot stop
 * one; the Kafka settings are read when a new version is announced (`loadAnnounceConfig`).
 */
export type LoaderConfig = Pick<AppConfig, 'redis' | 'log'> & {
  lists: Pick<AppConfig['lists'], 'retainVersions'>;
};

export function loadLoaderConfig(env: Env = process.env): LoaderConfig {
  return {
    redis: redisSettings(env),
    log: logSettings(env),
    lists: { retainVersions: int(env, 'LIST_RETAIN_VERSIONS', 30, 1, 1000) },
  };
}

/** Where the loader announces a new list version (`lists.v1`). */
export interface AnnounceConfig {
  brokers: string[];
  clientId: string;
  topic: string;
  createTopic: boolean;
  topicPartitions: number;
  security: KafkaSecurity;
}

export function loadAnnounceConfig(env: Env = process.env): AnnounceConfig {
  return {
    brokers: brokers(env, 'KAFKA_BROKERS', 'localhost:9092'),
    clientId: str(env, 'KAFKA_CLIENT_ID', 'sekimori-list-loader'),
    topic: topic(env, 'TOPIC_LISTS', DEFAULT_TOPICS.lists),
    createTopic: bool(env, 'KAFKA_CREATE_TOPICS', true),
    topicPartitions: int(env, 'KAFKA_TOPIC_PARTITIONS', 3, 1, 1000),
    security: kafkaSecurity(env),
  };
}
