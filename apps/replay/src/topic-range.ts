import type { Admin, Kafka, KafkaMessage } from 'kafkajs';

/** Offsets `[start, end)` of one partition. */
export interface PartitionRange {
  partition: number;
  start: bigint;
  end: bigint;
}

/** The messages put on `topic` from `fromMs` (included) to `toMs` (excluded), by partition. */
export async function rangeByTime(
  admin: Admin,
  topic: string,
  fromMs: number,
  toMs: number,
): Promise<PartitionRange[]> {
  const starts = await admin.fetchTopicOffsetsByTimestamp(topic, fromMs);
  // A time after the last message gives the high watermark: the range ends with the topic.
  const ends = await admin.fetchTopicOffsetsByTimestamp(topic, toMs);
  return starts.map(({ partition, offset }) => ({
    partition,
    start: BigInt(offset),
    end: BigInt(ends.find((e) => e.partition === partition)?.offset ?? offset),
  }));
}

/** From the first message at `fromMs` to what is on the topic now. */
export async function rangeFromTime(
  admin: Admin,
  topic: string,
  fromMs: number,
): Promise<PartitionRange[]> {
  const starts = await admin.fetchTopicOffsetsByTimestamp(topic, fromMs);
  const highs = await admin.fetchTopicOffsets(topic);
  return starts.map(({ partition, offset }) => ({
    partition,
    start: BigInt(offset),
    end: BigInt(highs.find((h) => h.partition === partition)?.high ?? offset),
  }));
}

export class TopicMissingError extends Error {
  constructor(topic: string) {
    super(`topic ${topic} does not exist on the broker`);
    this.name = 'TopicMissingError';
  }
}

export async function assertTopics(admin: Admin, topics: readonly string[]): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.find((t) => !existing.has(t));
  if (missing !== undefined) throw new TopicMissingError(missing);
}

export interface ReadRangeOptions {
  /** The throwaway group kafkajs needs to consume; deleted when the read ends, however it ends. */
  groupId: string;
  /** Gives up when no partition moves for this long (an open transaction holds a committed read). */
  idleMs?: number;
}

/**
 * Reads the given offset ranges of a topic, read-committed, committing nothing. kafkajs has no
 * manual assignment, so a group is needed; it is deleted afterwards and leaves nothing behind.
 */
export async function readRange(
  kafka: Kafka,
  topic: string,
  ranges: readonly PartitionRange[],
  options: ReadRangeOptions,
  take: (partition: number, messages: KafkaMessage[]) => void,
): Promise<void> {
  const open = new Map(ranges.filter((r) => r.start < r.end).map((r) => [r.partition, r]));
  if (open.size === 0) return;
  const next = new Map([...open.values()].map((r) => [r.partition, r.start]));
  const consumer = kafka.consumer({ groupId: options.groupId, allowAutoTopicCreation: false });
  const admin = kafka.admin();
  let lastProgress = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: false });
    const done = new Promise<void>((resolve, reject) => {
      consumer.on(consumer.events.CRASH, (event) => reject(event.payload.error));
      const idleMs = options.idleMs ?? 60_000;
      timer = setInterval(() => {
        if (Date.now() - lastProgress < idleMs) return;
        const [stuck] = open.values();
        reject(
          new Error(
            `reading ${topic} made no progress for ${idleMs} ms (partition ${stuck.partition} at ${next.get(stuck.partition)}, range ends at ${stuck.end}); an open transaction on the topic holds a committed read`,
          ),
        );
      }, 1_000);
      void consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          const range = open.get(batch.partition);
          if (range === undefined) return;
          const first = batch.firstOffset();
          // Nothing fetched, or a fetch from before the seek took effect (kafkajs seeks once the
          // group is joined; until then it reads from the end).
          if (first === null || BigInt(first) < range.start || BigInt(first) >= range.end) return;
          const from = next.get(batch.partition) ?? range.start;
          const taken = batch.messages.filter((m) => {
            const offset = BigInt(m.offset);
            return offset >= from && offset < range.end;
          });
          if (taken.length > 0) {
            take(batch.partition, taken);
            next.set(batch.partition, BigInt(taken[taken.length - 1].offset) + 1n);
            lastProgress = Date.now();
          }
          // lastOffset counts transaction markers, which are never delivered as messages.
          if (BigInt(batch.lastOffset()) + 1n >= range.end) {
            open.delete(batch.partition);
            lastProgress = Date.now();
            if (open.size === 0) resolve();
          }
        },
      });
    });
    for (const range of open.values()) {
      consumer.seek({ topic, partition: range.partition, offset: String(range.start) });
    }
    await done;
  } finally {
    clearInterval(timer);
    await consumer.disconnect().catch(() => undefined);
    await admin.connect();
    try {
      await deleteGroup(admin, options.groupId);
    } finally {
      await admin.disconnect();
    }
  }
}

// The broker may not yet have processed our LeaveGroup, or its coordinator may be moving.
const RETRIABLE_DELETE = new Set([
  'GROUP_NOT_EMPTY',
  'COORDINATOR_NOT_AVAILABLE',
  'NOT_COORDINATOR',
  'COORDINATOR_LOAD_IN_PROGRESS',
]);

async function deleteGroup(admin: Admin, groupId: string): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await admin.deleteGroups([groupId]);
      return;
    } catch (error) {
      const failure = error as { type?: string; groups?: Array<{ error?: { type?: string } }> };
      const type = failure.groups?.[0]?.error?.type ?? failure.type;
      if (type === 'GROUP_ID_NOT_FOUND') return;
      if (type === undefined || !RETRIABLE_DELETE.has(type) || attempt >= 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}
