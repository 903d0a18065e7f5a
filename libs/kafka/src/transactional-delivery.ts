import type { Admin, Kafka, Producer } from 'kafkajs';
import { CompressionTypes, Partitioners } from 'kafkajs';
import type { BatchPosition, Claim, Delivery } from './delivery';
import { produceRequests } from './produce-requests';
import type { OutboundRecord } from './records';

const TRANSACTION_TIMEOUT_MS = 15_000;

/**
 * Exactly-once: one Kafka transaction per batch carries the alerts, the dead letters and the
 * consumed offsets, so consumers reading with read_committed see each alert once.
 *
 * kafkajs' sendOffsets does not send the group generation and member id (KIP-447 is not
 * implemented: kafkajs 2.2.4 TxnOffsetCommit stops at v0-v2 fields), so the broker cannot
 * fence a zombie by group generation. Fencing relies on the transactional id itself, as
 * before KIP-447 (KIP-98): it is stable per input topic-partition, and a new owner of the
 * partition, initialising a producer with the same id, bumps the epoch, which fences the old
 * owner and makes the coordinator finish the old owner's open transaction first (abort, or
 * complete a commit already prepared).
 *
 * What the consumer had fetched before that may be stale: kafkajs reads the committed offsets
 * without `require_stable` (KIP-447 again), so it can start from an offset that a transaction
 * completing at that very moment moves forward. `claim` therefore reads the committed offset
 * again after the producer is initialised, and the consumer skips what lies below it. The
 * same check covers a commit whose outcome the client never learned (broker gone mid-commit).
 */
export class TransactionalDelivery implements Delivery {
  readonly mode = 'exactly-once' as const;
  private readonly producers = new Map<string, Promise<Producer>>();
  /** Partitions whose producer is new: their committed offset must be read again. */
  private readonly unverified = new Set<string>();
  private readonly admin: Admin;
  /** The tail of the chain that runs this instance's transactions one at a time. */
  private turn: Promise<void> = Promise.resolve();

  constructor(
    private readonly kafka: Kafka,
    private readonly groupId: string,
    private readonly transactionalIdPrefix: string,
    private readonly compression: CompressionTypes = CompressionTypes.None,
  ) {
    this.admin = kafka.admin();
  }

  async start(): Promise<void> {
    // Producers are made per partition, on assignment or when its first batch arrives.
    await this.admin.connect();
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
        // A transaction left open by a crashed owner blocks read_committed consumers of the
        // alerts until the next owner fences it or this timeout aborts it; batches take
        // milliseconds, so a short bound costs nothing (kafkajs' default is 60 s).
        transactionTimeout: TRANSACTION_TIMEOUT_MS,
      });
      // kafkajs' connect does not initialise a transactional producer (only idempotent ones);
      // `transaction()` would, on the first batch. Doing it here fences the old owner now.
      const initialised = created
        .connect()
        .then(async () => {
          await created.transaction().then((t) => t.abort());
          return created;
        })
        .catch(async (error: unknown) => {
          await created.disconnect().catch(() => undefined);
          throw error;
        });
      producer = initialised;
      // A failed init must not stay cached: the next batch tries again.
      initialised.catch(() => {
        if (this.producers.get(id) === initialised) this.producers.delete(id);
      });
      this.producers.set(id, initialised);
      this.unverified.add(id);
    }
    return producer;
  }

  async claim(topic: string, partition: number): Promise<Claim> {
    const id = `${topic}:${partition}`;
    await this.producerFor(topic, partition);
    if (!this.unverified.has(id)) return { fresh: false, committed: null };
    const offsets = await this.admin.fetchOffsets({ groupId: this.groupId, topics: [topic] });
    const committed = offsets
      .find((t) => t.topic === topic)
      ?.partitions.find((p) => p.partition === partition)?.offset;
    this.unverified.delete(id);
    return {
      fresh: true,
      committed: committed === undefined || BigInt(committed) < 0n ? null : committed,
    };
  }

  async assigned(owned: ReadonlySet<string>): Promise<void> {
    await Promise.all(
      [...this.producers.keys()].filter((id) => !owned.has(id)).map((id) => this.drop(id)),
    );
    // Taking the new partitions' transactional ids at once aborts what a crashed owner left
    // open, so read_committed readers of the alerts are not held up until its timeout.
    await Promise.all(
      [...owned].map((id) => {
        const at = id.lastIndexOf(':');
        return this.producerFor(id.slice(0, at), Number(id.slice(at + 1))).catch(() => undefined);
      }),
    );
  }

  /**
   * One open transaction per instance at a time. Concurrent transactions from the per-partition
   * producers would overlap on the alert partitions, and a crash would leave several of them
   * to be aborted at once; kafkajs read_committed consumers (kafkajs 2.2.4
   * consumer/filterAbortedMessages.js) let records of overlapping aborted transactions through,
   * so downstream kafkajs readers would see the dead instance's alerts. Screening still runs
   * concurrently; only the send-and-commit step, milliseconds long, takes turns.
   */
  deliver(position: BatchPosition, records: OutboundRecord[]): Promise<void> {
    const mine = this.turn.then(() => this.deliverNow(position, records));
    this.turn = mine.catch(() => undefined);
    return mine;
  }

  private async deliverNow(position: BatchPosition, records: OutboundRecord[]): Promise<void> {
    const producer = await this.producerFor(position.topic, position.partition);
    const transaction = await producer.transaction();
    try {
      for (const topicMessages of produceRequests(records)) {
        await transaction.sendBatch({ topicMessages, acks: -1, compression: this.compression });
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
      // The new producer's claim tells whether the commit went through after all.
      await this.drop(`${position.topic}:${position.partition}`);
      throw error;
    }
  }

  private async drop(id: string): Promise<void> {
    const producer = this.producers.get(id);
    this.producers.delete(id);
    this.unverified.delete(id);
    if (producer) await producer.then((p) => p.disconnect()).catch(() => undefined);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.producers.keys()].map((id) => this.drop(id)));
    await this.admin.disconnect();
  }
}
