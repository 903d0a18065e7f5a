import type { Consumer, Kafka, Message, Producer, TopicMessages } from 'kafkajs';
import { CompressionTypes, Partitioners } from 'kafkajs';
import type { OutboundRecord } from './records';

/** Where a batch ends: the offset of the next message to read on that topic-partition. */
export interface BatchPosition {
  topic: string;
  partition: number;
  nextOffset: string;
}

/**
 * How a batch's output reaches the broker together with its consumed offsets. Either way the
 * offsets never move before the output is acknowledged, so a crash can repeat work but never
 * lose it.
 */
export interface Delivery {
  readonly mode: 'at-least-once' | 'exactly-once';
  start(): Promise<void>;
  deliver(position: BatchPosition, records: OutboundRecord[]): Promise<void>;
  /** Partitions this instance no longer owns: their producers can go (exactly-once). */
  release?(owned: ReadonlySet<string>): Promise<void>;
  stop(): Promise<void>;
}

export function toTopicMessages(records: OutboundRecord[]): TopicMessages[] {
  const byTopic = new Map<string, Message[]>();
  for (const record of records) {
    let list = byTopic.get(record.topic);
    if (!list) {
      list = [];
      byTopic.set(record.topic, list);
    }
    list.push({ key: record.key, value: record.value, headers: record.headers });
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

/**
 * At-least-once: publish with an idempotent producer (acks=all), then commit the offsets.
 * A crash between the two repeats the batch; alert ids are deterministic, so consumers can
 * drop the repeats.
 */
export class AtLeastOnceDelivery implements Delivery {
  readonly mode = 'at-least-once' as const;
  private readonly producer: Producer;

  constructor(
    kafka: Kafka,
    private readonly consumer: Consumer,
  ) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      // Murmur2, as the Java clients partition: an alert's key lands where other tools expect.
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  async start(): Promise<void> {
    await this.producer.connect();
  }

  async deliver(position: BatchPosition, records: OutboundRecord[]): Promise<void> {
    if (records.length > 0) {
      await this.producer.sendBatch({
        topicMessages: toTopicMessages(records),
        acks: -1,
        compression: CompressionTypes.None,
      });
    }
    await this.consumer.commitOffsets([
      { topic: position.topic, partition: position.partition, offset: position.nextOffset },
    ]);
  }

  async stop(): Promise<void> {
    await this.producer.disconnect();
  }
}

/**
 * Exactly-once: one Kafka transaction per batch carries the alerts, the dead letters and the
 * consumed offsets, so consumers reading with read_committed see each alert once.
 *
 * kafkajs' sendOffsets does not send the group generation (KIP-447), so fencing a zombie
 * relies on the transactional id itself: it is stable per input topic-partition, and a new
 * owner of the partition, initialising a producer with the same id, fences the old one.
 */
export class TransactionalDelivery implements Delivery {
  readonly mode = 'exactly-once' as const;
  private readonly producers = new Map<string, Promise<Producer>>();

  constructor(
    private readonly kafka: Kafka,
    private readonly groupId: string,
    private readonly transactionalIdPrefix: string,
  ) {}

  async start(): Promise<void> {
    // Producers are made per partition, when its first batch arrives.
  }

  private producerFor(topic: string, partition: number): Promise<Producer> {
    const id = `${topic}:${partition}`;
    let producer = this.producers.get(id);
    if (!producer) {
      const created = this.kafka.producer({
        transactionalId: `${this.transactionalIdPrefix}.${topic}.${partition}`,
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      producer = created.connect().then(() => created);
      // A failed connect must not stay cached: the next batch tries again.
      producer.catch(() => this.producers.delete(id));
      this.producers.set(id, producer);
    }
    return producer;
  }

  async deliver(position: BatchPosition, records: OutboundRecord[]): Promise<void> {
    const producer = await this.producerFor(position.topic, position.partition);
    const transaction = await producer.transaction();
    try {
      if (records.length > 0) {
        await transaction.sendBatch({ topicMessages: toTopicMessages(records), acks: -1 });
      }
      await transaction.sendOffsets({
        consumerGroupId: this.groupId,
        topics: [
          {
            topic: position.topic,
            partitions: [{ partition: position.partition, offset: position.nextOffset }],
          },
        ],
      });
      await transaction.commit();
    } catch (error) {
      if (transaction.isActive()) {
        await transaction.abort().catch(() => undefined);
      }
      // A producer whose transaction failed may be fenced or in an unknown state: start afresh.
      await this.drop(`${position.topic}:${position.partition}`);
      throw error;
    }
  }

  private async drop(id: string): Promise<void> {
    const producer = this.producers.get(id);
    this.producers.delete(id);
    if (producer) await producer.then((p) => p.disconnect()).catch(() => undefined);
  }

  async release(owned: ReadonlySet<string>): Promise<void> {
    await Promise.all(
      [...this.producers.keys()].filter((id) => !owned.has(id)).map((id) => this.drop(id)),
    );
  }

  async stop(): Promise<void> {
    await Promise.all([...this.producers.keys()].map((id) => this.drop(id)));
  }
}
