import type { Consumer, Kafka, Producer } from 'kafkajs';
import { CompressionTypes, Partitioners } from 'kafkajs';
import { Backoff } from './backoff';
import type { BatchPosition, Delivery } from './delivery';
import { produceRequests } from './produce-requests';
import type { OutboundRecord } from './records';

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
    private readonly compression: CompressionTypes = CompressionTypes.None,
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
          await producer.sendBatch({ topicMessages, acks: -1, compression: this.compression });
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
