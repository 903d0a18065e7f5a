import {
  type Admin,
  CompressionTypes,
  type Consumer,
  Kafka,
  type KafkaMessage,
  logLevel,
  type Producer,
} from 'kafkajs';
import type { TopicNames } from '@sekimori/contracts';
import type { KafkaCompression } from '@sekimori/config';
import {
  compressionType,
  createTopicsAndWait,
  produceRequests,
  registerKafkaCodecs,
} from '@sekimori/kafka';
import type { InputKind, StreamMessage } from './dataset/stream';

export function benchKafka(brokers: string[], clientId = 'sekimori-bench'): Kafka {
  registerKafkaCodecs();
  return new Kafka({ clientId, brokers, logLevel: logLevel.NOTHING, retry: { retries: 8 } });
}

export function topicsFor(runId: string, name: string): TopicNames {
  return {
    onchain: `bench.${runId}.${name}.onchain`,
    exchange: `bench.${runId}.${name}.exchange`,
    rates: `bench.${runId}.${name}.rates`,
    alerts: `bench.${runId}.${name}.alerts`,
    decisions: `bench.${runId}.${name}.decisions`,
    lists: `bench.${runId}.${name}.lists`,
    deadLetters: `bench.${runId}.${name}.dlq`,
    reviews: `bench.${runId}.${name}.reviews`,
    reviewEffects: `bench.${runId}.${name}.review-effects`,
  };
}

export function inputTopics(topics: TopicNames): string[] {
  return [topics.onchain, topics.exchange, topics.rates];
}

export function topicOf(topics: TopicNames, kind: InputKind): string {
  return kind === 'onchain' ? topics.onchain : kind === 'exchange' ? topics.exchange : topics.rates;
}

export async function createTopics(
  admin: Admin,
  names: string[],
  partitions: number,
): Promise<void> {
  await createTopicsAndWait(admin, names, partitions);
}

export async function deleteBenchTopics(admin: Admin, runId: string): Promise<void> {
  const mine = (await admin.listTopics()).filter((t) => t.startsWith(`bench.${runId}.`));
  if (mine.length > 0) await admin.deleteTopics({ topics: mine }).catch(() => undefined);
}

/**
 * Sends messages in produce requests bounded in bytes (the screener's own bound), one after the
 * other: however far behind a load generator is, no request goes over the broker's limit.
 */
export async function sendBounded(
  producer: Producer,
  topics: TopicNames,
  messages: readonly StreamMessage[],
  compression: CompressionTypes = CompressionTypes.None,
): Promise<void> {
  const records = messages.map((m) => ({
    topic: topicOf(topics, m.kind),
    key: m.key,
    value: m.value,
  }));
  for (const topicMessages of produceRequests(records)) {
    await producer.sendBatch({ acks: -1, compression, topicMessages });
  }
}

/**
 * Produces the whole stream before any timing starts, one bounded request at a time: concurrent
 * sends on the idempotent producer failed with OUT_OF_ORDER_SEQUENCE_NUMBER on a busy machine.
 */
export async function preProduce(
  producer: Producer,
  topics: TopicNames,
  messages: readonly StreamMessage[],
  compression: CompressionTypes = CompressionTypes.None,
): Promise<void> {
  await sendBounded(producer, topics, messages, compression);
}

/** The input stream's compression for --compression (uncompressed without it). */
export function inputCompression(compression: KafkaCompression | null): CompressionTypes {
  return compression === null ? CompressionTypes.None : compressionType(compression);
}

/** High watermark of every partition of the topics: where a consumer is done. */
export async function endOffsets(admin: Admin, topics: string[]): Promise<Map<string, bigint>> {
  const out = new Map<string, bigint>();
  for (const topic of topics) {
    for (const p of await admin.fetchTopicOffsets(topic)) {
      out.set(`${topic}:${p.partition}`, BigInt(p.high));
    }
  }
  return out;
}

/** Messages the group has committed, and what is left to reach `ends`. */
export async function groupProgress(
  admin: Admin,
  groupId: string,
  ends: Map<string, bigint>,
): Promise<{ committed: bigint; remaining: bigint }> {
  const topics = [...new Set([...ends.keys()].map((k) => k.slice(0, k.lastIndexOf(':'))))];
  const offsets = await admin.fetchOffsets({ groupId, topics });
  let committed = 0n;
  let remaining = 0n;
  for (const { topic, partitions } of offsets) {
    for (const { partition, offset } of partitions) {
      const end = ends.get(`${topic}:${partition}`) ?? 0n;
      const at = offset === '-1' ? 0n : BigInt(offset);
      committed += at;
      remaining += end > at ? end - at : 0n;
    }
  }
  return { committed, remaining };
}

/** Waits until the group has committed every offset up to `ends`; returns when (performance.now()). */
export async function waitForDrain(
  admin: Admin,
  groupId: string,
  ends: Map<string, bigint>,
  timeoutMs: number,
  alive: () => string | null,
  everyMs = 100,
): Promise<number> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    const { remaining } = await groupProgress(admin, groupId, ends);
    const now = performance.now();
    if (remaining === 0n) return now;
    const dead = alive();
    if (dead !== null) throw new Error(`${groupId}: ${dead} with ${remaining} messages left`);
    if (now > until) {
      throw new Error(`${groupId}: ${remaining} messages still unconsumed after ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Reads a topic with read_committed and calls back with each value and when it arrived. */
export async function startCollector(
  kafka: Kafka,
  topic: string,
  onMessage: (value: Buffer, receivedAt: number) => void,
): Promise<Consumer> {
  const consumer = kafka.consumer({
    groupId: `bench-collector-${topic}`,
    readUncommitted: false,
    maxWaitTimeInMs: 100,
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let joined!: () => void;
  const ready = new Promise<void>((resolve) => (joined = resolve));
  consumer.on(consumer.events.GROUP_JOIN, () => joined());
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const now = performance.now();
      for (const m of batch.messages) if (m.value) onMessage(m.value, now);
    },
  });
  await ready;
  return consumer;
}

/**
 * Counts the messages of topics (read_committed), reading from the start until the end offsets.
 * With `transactional`, the last offset of a partition is a commit marker, never delivered.
 * `onRecord` sees every record's key and value (decisions are keyed by eventId).
 */
export async function countMessages(
  kafka: Kafka,
  admin: Admin,
  topics: string[],
  transactional: boolean,
  onRecord?: (key: Buffer | null, value: Buffer | null, message: KafkaMessage) => void,
): Promise<number> {
  const ends = await endOffsets(admin, topics);
  const total = [...ends.values()].reduce((a, b) => a + b, 0n);
  if (total === 0n) return 0;
  const consumer = kafka.consumer({
    groupId: `bench-count-${topics[0]}-${Date.now()}`,
    readUncommitted: false,
    maxWaitTimeInMs: 200,
  });
  await consumer.connect();
  let count = 0;
  const reached = new Map<string, bigint>();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const check = (): void => {
      const slack = transactional ? 1n : 0n;
      for (const [k, end] of ends) if (end > 0n && (reached.get(k) ?? 0n) < end - slack) return;
      done();
    };
    await consumer.run({
      eachBatch: async ({ batch }) => {
        count += batch.messages.length;
        if (onRecord) for (const m of batch.messages) onRecord(m.key, m.value, m);
        // Transaction markers take offsets too: the batch's last offset says where we are.
        reached.set(`${batch.topic}:${batch.partition}`, BigInt(batch.lastOffset()) + 1n);
        check();
      },
    });
    // At least 10,000 records a second: a re-screen's live stream leaves millions of decisions.
    const patience = Math.max(30_000, Number(total) / 10);
    await Promise.race([finished, new Promise((resolve) => setTimeout(resolve, patience))]);
  } finally {
    await consumer.disconnect();
  }
  return count;
}

/** Commits a group's offsets at the end of every partition of the topics (the group must be empty). */
export async function commitToEnd(admin: Admin, groupId: string, topics: string[]): Promise<void> {
  for (const topic of topics) {
    const partitions = (await admin.fetchTopicOffsets(topic)).map((p) => ({
      partition: p.partition,
      offset: p.high,
    }));
    await admin.setOffsets({ groupId, topic, partitions });
  }
}

/** Members of a consumer group, once it is stable (0 while it rebalances or is empty). */
export async function stableMembers(admin: Admin, groupId: string): Promise<number> {
  const { groups } = await admin.describeGroups([groupId]);
  const group = groups[0];
  return group?.state === 'Stable' ? group.members.length : 0;
}
