import {
  type Consumer,
  Kafka,
  type KafkaConfig,
  logLevel,
  type Message,
  type Producer,
} from 'kafkajs';
import type { TopicNames } from '@sekimori/contracts';
import { kafkaSecurity } from '@sekimori/config';
import { createTopicsAndWait, kafkaSecurityOptions, registerKafkaCodecs } from '@sekimori/kafka';
import { kafkaEnv, uniqueSuffix, waitFor } from './env';

/**
 * A kafkajs client for the broker that `env` names (KAFKA_BROKERS and its security settings, as
 * the services read them): the run's broker by default, plain TCP unless the run is on the
 * SASL_SSL listener (STACK_SECURE=1).
 */
export function kafkaClient(
  env: Record<string, string> = kafkaEnv(),
  config: Partial<KafkaConfig> = {},
): Kafka {
  registerKafkaCodecs();
  return new Kafka({
    clientId: 'sekimori-tests',
    brokers: env.KAFKA_BROKERS.split(','),
    logLevel: logLevel.NOTHING,
    ...kafkaSecurityOptions(kafkaSecurity(env)),
    ...config,
  });
}

export const kafka = kafkaClient();

/** A fresh, never-shared set of contract topics for one test. */
export function freshTopics(): TopicNames {
  const s = uniqueSuffix();
  return {
    onchain: `t.onchain.${s}`,
    exchange: `t.exchange.${s}`,
    rates: `t.rates.${s}`,
    alerts: `t.alerts.${s}`,
    decisions: `t.decisions.${s}`,
    lists: `t.lists.${s}`,
    deadLetters: `t.dlq.${s}`,
    reviews: `t.reviews.${s}`,
    reviewEffects: `t.review-effects.${s}`,
  };
}

export function topicEnv(topics: TopicNames): Record<string, string> {
  return {
    TOPIC_ONCHAIN: topics.onchain,
    TOPIC_EXCHANGE: topics.exchange,
    TOPIC_RATES: topics.rates,
    TOPIC_ALERTS: topics.alerts,
    TOPIC_DECISIONS: topics.decisions,
    TOPIC_LISTS: topics.lists,
    TOPIC_DLQ: topics.deadLetters,
    TOPIC_REVIEWS: topics.reviews,
    TOPIC_REVIEW_EFFECTS: topics.reviewEffects,
  };
}

export async function createTopics(topics: TopicNames, numPartitions = 3): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await createTopicsAndWait(admin, Object.values(topics), numPartitions);
  } finally {
    await admin.disconnect();
  }
}

export async function deleteTopics(topics: TopicNames): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}

let sharedProducer: Producer | null = null;

export async function produce(topic: string, messages: Message[]): Promise<void> {
  if (!sharedProducer) {
    sharedProducer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await sharedProducer.connect();
  }
  await sharedProducer.send({ topic, messages, acks: -1 });
}

export async function disconnectProducer(): Promise<void> {
  await sharedProducer?.disconnect();
  sharedProducer = null;
}

export interface Collected {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  /** The header values as sent, bytes unchanged (binary values do not survive `headers`). */
  rawHeaders: Record<string, Buffer | Buffer[]>;
}

/** Reads a topic from its start into memory, so a test can wait for what it expects there. */
export class TopicCollector {
  readonly messages: Collected[] = [];
  private consumer: Consumer | null = null;

  constructor(
    private readonly topic: string,
    private readonly readCommitted = true,
    /** The tests' own client by default; a fault test passes one for its private broker. */
    private readonly client: Kafka = kafka,
  ) {}

  async start(): Promise<this> {
    this.consumer = this.client.consumer({
      groupId: `collector-${uniqueSuffix()}`,
      readUncommitted: !this.readCommitted,
      // Short fetch waits: a test waits on what arrives, not on the broker's 5 s default.
      maxWaitTimeInMs: 200,
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const headers: Record<string, string> = {};
        const rawHeaders: Record<string, Buffer | Buffer[]> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) {
          if (v !== undefined) headers[k] = Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
          if (Buffer.isBuffer(v)) rawHeaders[k] = v;
          if (Array.isArray(v)) rawHeaders[k] = v.map((one) => Buffer.from(one));
        }
        this.messages.push({
          topic,
          partition,
          offset: message.offset,
          key: message.key?.toString('utf8') ?? null,
          value: message.value,
          headers,
          rawHeaders,
        });
      },
    });
    return this;
  }

  json<T = Record<string, unknown>>(): T[] {
    return this.messages.map((m) => JSON.parse(m.value?.toString('utf8') ?? 'null') as T);
  }

  async waitForCount(count: number, timeoutMs = 60_000): Promise<Collected[]> {
    await waitFor(
      `${count} messages on ${this.topic} (have ${this.messages.length})`,
      () => this.messages.length >= count,
      timeoutMs,
    );
    return this.messages;
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
  }
}

/**
 * Until `groupId` has committed every message of `topics`: in exactly-once mode everything they
 * caused is then on the broker, so "nothing else came" can be checked without sleeping.
 */
export async function waitForGroupCommitted(
  groupId: string,
  topics: readonly string[],
  timeoutMs = 60_000,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await waitFor(
      `group ${groupId} to commit every message of ${topics.join(', ')}`,
      async () => {
        const committed = await admin.fetchOffsets({ groupId, topics: [...topics] });
        for (const topic of topics) {
          const ends = await admin.fetchTopicOffsets(topic);
          const mine = committed.find((c) => c.topic === topic)?.partitions ?? [];
          for (const end of ends) {
            const at = mine.find((p) => p.partition === end.partition)?.offset ?? '-1';
            if (end.high !== '0' && BigInt(at) < BigInt(end.high)) return false;
          }
        }
        return true;
      },
      timeoutMs,
      200,
    );
  } finally {
    await admin.disconnect();
  }
}
