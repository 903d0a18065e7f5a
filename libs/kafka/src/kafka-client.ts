import { type Admin, Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { Logger } from 'pino';
import type { KafkaSecurity } from '@sekimori/config';
import { registerKafkaCodecs } from './codecs';
import { kafkaSecurityOptions } from './kafka-security';

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/**
 * A kafkajs client whose own logs go through the service's JSON logger. kafkajs is chatty at
 * INFO (every join and leave); those lines go to debug, errors and warnings stay. It reads and
 * writes every codec Kafka producers use (codecs.ts).
 */
export function createKafka(options: {
  brokers: string[];
  clientId: string;
  logger: Logger;
  /** Retries of a failed request (default 8: long-lived clients ride out a broker restart). */
  retries?: number;
  /** TLS and SASL; plain TCP without it. */
  security?: KafkaSecurity;
}): Kafka {
  registerKafkaCodecs();
  const log = options.logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    ...(options.security ? kafkaSecurityOptions(options.security) : {}),
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 200, maxRetryTime: 5_000, retries: options.retries ?? 8 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log: entry }: LogEntry) => {
        const { message, timestamp: _timestamp, logger: _logger, ...rest } = entry;
        // Our idempotent producers retry a bounded number of times on purpose: the batch loop
        // above them holds and retries the whole batch, so this warning is noise.
        const noise = message.startsWith('Limiting retries for the idempotent producer');
        log[noise ? 'debug' : (LEVELS[level] ?? 'info')](rest, message);
      },
  });
}

/**
 * Creates topics and waits until every partition of each has a leader. kafkajs'
 * `waitForLeaders` retries only LEADER_NOT_AVAILABLE, but a KRaft broker can answer a metadata
 * request for a topic it has just created with UNKNOWN_TOPIC_OR_PARTITION for a moment; that
 * surfaced as a failed test setup on CI. Any error is retried here until `timeoutMs`.
 */
export async function createTopicsAndWait(
  admin: Admin,
  topics: readonly string[],
  numPartitions: number,
  timeoutMs = 30_000,
  configs: TopicConfigs = {},
): Promise<void> {
  await admin.createTopics({
    waitForLeaders: false,
    topics: topics.map((topic) => ({
      topic,
      numPartitions,
      replicationFactor: 1,
      configEntries: Object.entries(configs[topic] ?? {}).map(([name, value]) => ({
        name,
        value,
      })),
    })),
  });
  const until = Date.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    try {
      const { topics: found } = await admin.fetchTopicMetadata({ topics: [...topics] });
      const led = found.every(
        (t) => t.partitions.length === numPartitions && t.partitions.every((p) => p.leader >= 0),
      );
      if (led && found.length === topics.length) return;
      last = null;
    } catch (error) {
      last = error;
    }
    if (Date.now() > until) {
      const why = last instanceof Error ? `: ${last.message}` : '';
      throw new Error(`topics ${topics.join(', ')} have no leader after ${timeoutMs} ms${why}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Topic settings by topic name, for the topics that need more than the broker's defaults. */
export type TopicConfigs = Record<string, Record<string, string>>;

/** Creates the topics that are missing; existing topics are left as they are. */
export async function ensureTopics(
  kafka: Kafka,
  topics: string[],
  numPartitions: number,
  configs: TopicConfigs = {},
): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = [...new Set(topics)].filter((t) => !existing.has(t));
    if (missing.length > 0) {
      await createTopicsAndWait(admin, missing, numPartitions, undefined, configs);
    }
    return missing;
  } finally {
    await admin.disconnect();
  }
}
