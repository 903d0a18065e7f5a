import type { Batch, Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { SekimoriError } from '@sekimori/contracts';
import { Backoff } from './backoff';
import { AtLeastOnceDelivery, type Delivery, TransactionalDelivery } from './delivery';
import type { BatchOutcome, ConsumedBatch } from './records';

export type BatchHandler = (batch: ConsumedBatch) => Promise<BatchOutcome>;

export interface BatchReport {
  topic: string;
  partition: number;
  messages: number;
  records: number;
  /** From the first attempt at the batch to its delivery, outages included. */
  durationMs: number;
  /** Messages left on the partition after this batch, as the broker last told it. */
  lag: number;
}

/** Hooks for metrics and health; none of them may throw. */
export interface BatchObserver {
  batchDelivered?(report: BatchReport): void;
  paused?(reason: string): void;
  resumed?(): void;
}

export interface BatchConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  deliveryMode: 'at-least-once' | 'exactly-once';
  transactionalIdPrefix: string;
  sessionTimeoutMs: number;
  partitionsConsumedConcurrently: number;
  retryInitialMs: number;
  retryMaxMs: number;
  logger: Logger;
  observer?: BatchObserver;
  /** Read from the start of topics that the group has no offsets for (default true). */
  fromBeginning?: boolean;
}

const POLL_MS = 100;

function describe(error: unknown): { code: string; message: string; retriable: boolean } {
  if (error instanceof SekimoriError) {
    return { code: error.code, message: error.message, retriable: error.retriable };
  }
  const e = error as { name?: string; message?: string; retriable?: boolean };
  return {
    code: e.name ?? 'Error',
    message: e.message ?? String(error),
    retriable: e.retriable === true,
  };
}

/**
 * Consumes whole batches, hands each to the handler, and moves offsets only after the
 * handler's output is on the broker.
 *
 * A batch that cannot be screened now (Redis gone, no list loaded, the broker refusing the
 * output) is held and retried with back-off while the consumer keeps its place in the group:
 * the partition stops advancing, nothing is skipped and nothing passes unscreened. Poison
 * input never reaches this loop: the handler turns it into dead letters.
 */
export class BatchConsumer {
  private readonly consumer: Consumer;
  private readonly delivery: Delivery;
  private readonly log: Logger;
  private pausedSince: number | null = null;
  private running = false;

  constructor(private readonly options: BatchConsumerOptions) {
    this.log = options.logger;
    this.consumer = options.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs,
      // Only committed transactions are read: exactly-once producers upstream stay exact.
      readUncommitted: false,
    });
    this.delivery =
      options.deliveryMode === 'exactly-once'
        ? new TransactionalDelivery(options.kafka, options.groupId, options.transactionalIdPrefix)
        : new AtLeastOnceDelivery(options.kafka, this.consumer);
  }

  get isRunning(): boolean {
    return this.running;
  }

  get isPaused(): boolean {
    return this.pausedSince !== null;
  }

  async start(handler: BatchHandler): Promise<void> {
    await this.delivery.start();
    await this.consumer.connect();
    const { GROUP_JOIN, CRASH, STOP } = this.consumer.events;
    this.consumer.on(GROUP_JOIN, (event) => {
      const assignment = event.payload.memberAssignment;
      const owned = new Set<string>();
      for (const [topic, partitions] of Object.entries(assignment)) {
        for (const partition of partitions) owned.add(`${topic}:${partition}`);
      }
      this.log.info({ assignment }, 'joined consumer group');
      void this.delivery.release?.(owned).catch(() => undefined);
    });
    this.consumer.on(CRASH, (event) => {
      this.log.error(
        { err: event.payload.error, restart: event.payload.restart },
        'consumer crashed',
      );
      if (!event.payload.restart) this.running = false;
    });
    this.consumer.on(STOP, () => {
      this.running = false;
    });
    await this.consumer.subscribe({
      topics: this.options.topics,
      fromBeginning: this.options.fromBeginning ?? true,
    });
    this.running = true;
    await this.consumer.run({
      autoCommit: false,
      // Never resolve a batch we did not finish: a batch given up on (rebalance, shutdown)
      // must be fetched again, not skipped.
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently,
      eachBatch: (payload) => this.consumeBatch(payload, handler),
    });
  }

  private async consumeBatch(payload: EachBatchPayload, handler: BatchHandler): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale } = payload;
    if (batch.messages.length === 0) return;
    const consumed = toConsumedBatch(batch);
    const lastOffset = batch.lastOffset();
    const position = {
      topic: batch.topic,
      partition: batch.partition,
      nextOffset: (BigInt(lastOffset) + 1n).toString(),
    };
    const started = performance.now();
    const backoff = new Backoff(this.options.retryInitialMs, this.options.retryMaxMs);
    while (isRunning() && !isStale()) {
      try {
        const outcome = await handler(consumed);
        await this.delivery.deliver(position, outcome.records);
        resolveOffset(lastOffset);
        this.markResumed();
        this.options.observer?.batchDelivered?.({
          topic: batch.topic,
          partition: batch.partition,
          messages: batch.messages.length,
          records: outcome.records.length,
          durationMs: performance.now() - started,
          lag: Number(batch.offsetLag()),
        });
        return;
      } catch (error) {
        const why = describe(error);
        const waitMs = backoff.next();
        this.markPaused(why.code);
        this.log[why.retriable ? 'warn' : 'error'](
          {
            topic: batch.topic,
            partition: batch.partition,
            firstOffset: batch.firstOffset(),
            lastOffset,
            code: why.code,
            attempt: backoff.attempts,
            retryInMs: waitMs,
            err: why.retriable ? undefined : error,
          },
          `batch held, will retry: ${why.message}`,
        );
        await this.wait(waitMs, isRunning, isStale, heartbeat);
      }
    }
    this.log.info(
      {
        topic: batch.topic,
        partition: batch.partition,
        firstOffset: batch.firstOffset(),
        lastOffset,
      },
      'batch given up without commit (stopping or rebalanced); it will be read again',
    );
  }

  private async wait(
    ms: number,
    isRunning: () => boolean,
    isStale: () => boolean,
    heartbeat: () => Promise<void>,
  ): Promise<void> {
    const until = Date.now() + ms;
    while (Date.now() < until && isRunning() && !isStale()) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, until - Date.now())));
      // Keeps our place in the group during a long outage; fails harmlessly while the broker is away.
      await heartbeat().catch(() => undefined);
    }
  }

  private markPaused(reason: string): void {
    if (this.pausedSince !== null) return;
    this.pausedSince = Date.now();
    this.log.warn(
      { reason },
      'screening paused: batches are held until screening is possible again',
    );
    this.options.observer?.paused?.(reason);
  }

  private markResumed(): void {
    if (this.pausedSince === null) return;
    const pausedMs = Date.now() - this.pausedSince;
    this.pausedSince = null;
    this.log.info({ pausedMs }, 'screening resumed');
    this.options.observer?.resumed?.();
  }

  /** Finishes the batch in hand, leaves the group and closes the producers. */
  async stop(): Promise<void> {
    this.running = false;
    await this.consumer.disconnect();
    await this.delivery.stop();
  }
}

function toConsumedBatch(batch: Batch): ConsumedBatch {
  return {
    topic: batch.topic,
    partition: batch.partition,
    messages: batch.messages.map((m) => ({
      offset: m.offset,
      key: m.key,
      value: m.value,
      headers: m.headers ?? {},
      timestamp: m.timestamp,
    })),
  };
}
