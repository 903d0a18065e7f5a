import type { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import { CompressionTypes, Partitioners } from 'kafkajs';
import { Backoff } from './backoff';
import { produceRequests } from './produce-requests';
import type { OutboundRecord } from './records';

const TRANSACTION_TIMEOUT_MS = 15_000;

/** See Delivery.claim. */
export interface Claim {
  /** True the first time after the partition was taken over. */
  fresh: boolean;
  /** When fresh: the group's committed offset (null when it has none). */
  committed: string | null;
}

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
  /**
   * Called before every attempt at a batch (exactly-once): makes this instance the partition's
   * only writer and, the first time after taking the partition over, returns the group's
   * committed offset for it, below which everything was already delivered. Null otherwise.
   */
  claim?(topic: string, partition: number): Promise<Claim>;
  /** The partitions (`topic:partition`) this instance owns after a rebalance. */
  assigned?(owned: ReadonlySet<string>): Promise<void>;
  /**
   * Called on shutdown once no batch is in hand, before the consumer leaves the group: makes
   * the offset commits still outstanding (one last try for a failing one) and returns the
   * positions it could not commit, whose batches will be read again.
   */
  flush?(): Promise<BatchPosition[]>;
  stop(): Promise<void>;
}

/** The offset commit of a partition's last delivered batch (at-least-once). */
interface PendingCommit {
  readonly position: BatchPosition;
  /** Settles (never rejects) when the first attempt has an answer. */
  readonly firstAttempt: Promise<void>;
  committed: boolean;
  /** The last attempt's failure while the commit is retried in the background. */
  error: unknown;
}

export interface CommitRetry {
  initialMs: number;
  maxMs: number;
}

/**
 * At-least-once: publish with an idempotent producer (acks=all), then commit the offsets.
 * A crash between the two repeats the batch; alert ids are deterministic, so consumers can
 * drop the repeats.
 *
 * The commit is off the batch's critical path: it is started once the batch's output is
 * acknowledged, and the partition's next batch waits for it only just before its own produce.
 * So the commit of batch n overlaps the screening of batch n+1, while per partition at most one
 * commit is in flight and each carries a later offset than the one before (no overtaking), and
 * no offset is committed before its batch's output is acknowledged. A commit that fails is
 * retried in the background (an idle partition's last batch must still be committed), and the
 * partition's next batch is held until it succeeds: the partition does not run ahead of its
 * committed offset by more than one batch, as when the commit was in line.
 */
export class AtLeastOnceDelivery implements Delivery {
  readonly mode = 'at-least-once' as const;
  private producer: Promise<Producer> | null = null;
  /** Per `topic:partition`, the commit of the last delivered batch until it is made. */
  private readonly commits = new Map<string, PendingCommit>();
  /**
   * Per `topic:partition`, the commit request in flight, kept across rebalances: kafkajs retries
   * a commit internally for seconds (consumer/runner.js `commitOffsets`), each try with the
   * group generation of the moment, so one abandoned at a rebalance can still land after the
   * new generation's commits. The next commit of the partition waits for it to settle.
   */
  private readonly inFlight = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly consumer: Consumer,
    private readonly retry: CommitRetry = { initialMs: 100, maxMs: 5_000 },
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    await this.connected();
  }

  private connected(): Promise<Producer> {
    if (!this.producer) {
      const created = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        // Murmur2, as the Java clients partition: an alert's key lands where other tools expect.
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      const connecting = created.connect().then(() => created);
      connecting.catch(() => {
        if (this.producer === connecting) this.producer = null;
      });
      this.producer = connecting;
    }
    return this.producer;
  }

  async deliver(position: BatchPosition, records: OutboundRecord[]): Promise<void> {
    const key = `${position.topic}:${position.partition}`;
    await this.previousCommitted(key);
    if (records.length > 0) {
      const producer = await this.connected();
      try {
        // In turn, not at once: one request at a time keeps each partition's records in order.
        for (const topicMessages of produceRequests(records)) {
          await producer.sendBatch({ topicMessages, acks: -1, compression: CompressionTypes.None });
        }
      } catch (error) {
        // kafkajs keeps an idempotent producer's sequence numbers across a failed send; after a
        // broker restart or a timed-out request they can disagree with the broker's
        // (OUT_OF_ORDER_SEQUENCE_NUMBER, UNKNOWN_PRODUCER_ID) on every retry. A new producer
        // gets a new producer id and starts clean; the batch is sent again whole, which
        // at-least-once allows.
        await this.reset(producer);
        throw error;
      }
    }
    this.startCommit(key, position);
  }

  /**
   * Waits for the commit of the partition's previous batch. One still failing is thrown: the
   * caller holds the batch (before producing it) and tries again later; a group-membership
   * failure thrown here is what makes kafkajs rejoin.
   */
  private async previousCommitted(key: string): Promise<void> {
    const previous = this.commits.get(key);
    if (!previous) return;
    await previous.firstAttempt;
    if (previous.committed) {
      if (this.commits.get(key) === previous) this.commits.delete(key);
      return;
    }
    throw previous.error instanceof Error ? previous.error : new Error(String(previous.error));
  }

  private startCommit(key: string, position: BatchPosition): void {
    let answered!: () => void;
    const pending: PendingCommit = {
      position,
      firstAttempt: new Promise<void>((resolve) => (answered = resolve)),
      committed: false,
      error: undefined,
    };
    this.commits.set(key, pending);
    const backoff = new Backoff(this.retry.initialMs, this.retry.maxMs);
    // Not awaited; every failure is kept in `pending.error`, never left unhandled.
    void (async () => {
      for (;;) {
        try {
          await this.commitInTurn(key, position);
          pending.committed = true;
        } catch (error) {
          pending.error = error;
        }
        answered();
        if (pending.committed) return;
        await new Promise((resolve) => setTimeout(resolve, backoff.next()));
        // Dropped after a rebalance (the partition is read again from the group's committed
        // offset) or at shutdown (flush made its own last attempt).
        if (this.stopped || this.commits.get(key) !== pending) return;
      }
    })();
  }

  /**
   * Commits once the partition's previous commit request has settled, so that the last commit
   * sent is the last to land. An earlier offset may still be committed after a later one (a
   * batch read again after a rejoin can end below a commit that landed late); the partition's
   * next batches move it on again, and its last batch's commit comes last.
   *
   * No "already committed higher" shortcut: kafkajs resolves `commitOffsets` without committing
   * anything when its runner has stopped (consumer/runner.js `commitOffsets`, `if
   * (!this.running) return`), so a resolved commit is no proof that the offset landed.
   */
  private commitInTurn(key: string, position: BatchPosition): Promise<void> {
    const prior = this.inFlight.get(key);
    const attempt = (async () => {
      if (prior) await prior;
      await this.consumer.commitOffsets([
        { topic: position.topic, partition: position.partition, offset: position.nextOffset },
      ]);
    })();
    const settled = attempt.then(
      () => undefined,
      () => undefined,
    );
    this.inFlight.set(key, settled);
    void settled.then(() => {
      if (this.inFlight.get(key) === settled) this.inFlight.delete(key);
    });
    return attempt;
  }

  /**
   * A new generation: commits of the old one are no longer retried. Where a commit did not
   * land, kafkajs reads the partition again from the group's committed offset, which repeats
   * acknowledged batches only. A request already in flight cannot be called back; the
   * partition's next commit waits for it (commitInTurn).
   */
  async assigned(): Promise<void> {
    this.commits.clear();
  }

  /**
   * Must run while kafkajs' runner is still running: once it stops, `consumer.commitOffsets`
   * returns without committing (kafkajs 2.2.4 consumer/runner.js `commitOffsets`).
   */
  async flush(): Promise<BatchPosition[]> {
    this.stopped = true;
    const pending = [...this.commits.values()];
    this.commits.clear();
    const left: BatchPosition[] = [];
    await Promise.all(
      pending.map(async (p) => {
        await p.firstAttempt;
        if (p.committed) return;
        const { topic, partition } = p.position;
        await this.commitInTurn(`${topic}:${partition}`, p.position).catch(() =>
          left.push(p.position),
        );
      }),
    );
    return left;
  }

  private async reset(failed: Producer): Promise<void> {
    const current = this.producer;
    this.producer = null;
    await failed.disconnect().catch(() => undefined);
    if (current) {
      await current
        .then(async (p) => {
          if (p !== failed) await p.disconnect();
        })
        .catch(() => undefined);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.commits.clear();
    const producer = this.producer;
    this.producer = null;
    if (producer) await producer.then((p) => p.disconnect()).catch(() => undefined);
  }
}

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
        await transaction.sendBatch({ topicMessages, acks: -1 });
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
