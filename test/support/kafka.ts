import { type Consumer, Kafka, logLevel, type Message, type Producer } from 'kafkajs';
import type { TopicNames } from '@sekimori/contracts';
import { kafkaSecurity } from '@sekimori/config';
import { createTopicsAndWait, kafkaSecurityOptions } from '@sekimori/kafka';
import { testBrokers, uniqueSuffix, waitFor } from './env';

export const kafka = new Kafka({
  clientId: 'sekimori-tests',
  brokers: testBrokers(),
  logLevel: logLevel.NOTHING,
  // Plain TCP unless the run is on the SASL_SSL listener (STACK_SECURE=1).
  ...kafkaSecurityOptions(kafkaSecurity(process.env)),
});

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
}

/** Reads a topic from its start into memory, so a test can wait for what it expects there. */
export class TopicCollector {
  readonly messages: Collected[] = [];
  private consumer: Consumer | null = null;

  constructor(
    private readonly topic: string,
    private readonly readCommitted = true,
  ) {}

  async start(): Promise<this> {
    this.consumer = kafka.consumer({
      groupId: `collector-${uniqueSuffix()}`,
      readUncommitted: !this.readCommitted,
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) {
          if (v !== undefined) headers[k] = Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
        }
        this.messages.push({
          topic,
          partition,
          offset: message.offset,
          key: message.key?.toString('utf8') ?? null,
          value: message.value,
          headers,
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
    await this.consumer?.disconnect();
  }
}
