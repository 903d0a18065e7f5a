import type { Admin, Batch, CompressionTypes, Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { type DeliveryMode, SekimoriError } from '@sekimori/contracts';
import { Backoff } from './backoff';
import { AtLeastOnceDelivery } from './at-least-once-delivery';
import type { Delivery } from './delivery';
import { TransactionalDelivery } from './transactional-delivery';
import type { BatchOutcome, ConsumedBatch } from './records';
import { isolateUndecodableBatches, undecodableBatchOf } from './undecodable-batch';

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

/** A partition held at a batch the client cannot decode; nothing on it is screened past `offset`. */
export interface PartitionStall {
  topic: string;
  partition: number;
  /** The offset the partition stays at: the first offset of the undecodable batch it fetched. */
  offset: string;
  /** The batch's last offset, or null when it cannot be read from the batch. */
  lastOffset: string | null;
  reason: string;
  since: number;
}

/** Hooks for metrics and health; none of them may throw. */
export interface BatchObserver {
  batchDelivered?(report: BatchReport): void;
  paused?(reason: string): void;
  resumed?(): void;
  stalled?(stall: PartitionStall): void;
  /** `skipped`: an operator moved past the batch; `released`: the partition went to another member. */
  unstalled?(stall: PartitionStall, why: 'skipped' | 'released'): void;
}

export interface BatchConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  deliveryMode: DeliveryMode;
  transactionalIdPrefix: string;
  sessionTimeoutMs: number;
  partitionsConsumedConcurrently: number;
  retryInitialMs: number;
  retryMaxMs: number;
  logger: Logger;
  observer?: BatchObserver;
  /** Read from the start of topics that the group has no offsets for (default true). */
  fromBeginning?: boolean;
  /** Compression of the records delivered (default none). */
  compression?: CompressionTypes;
}

const POLL_MS = 100;
const SKIP_ORDER_POLL_MS = 2_000;

/**
 * The consumer group where `npm run skip` leaves its order while the screeners' group has
 * members: Kafka accepts an offset commit from outside a group only when the group is empty,
 * so the stalled member reads the order here and commits past the batch itself.
 */
export function skipOrderGroup(groupId: string): string {
  return `${groupId}.skip-orders`;
}

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
 * Group-membership errors as kafkajs reports them (kafkajs/src/errors.js `isRebalancing`, and
 * UNKNOWN_MEMBER_ID, which consumer/runner.js handles by rejoining). kafkajs rejoins the group
 * only when such an error comes out of eachBatch: a batch held in the retry loop must let it
 * out, or the member never rejoins, is evicted, and every later commit fails.
 */
const GROUP_MEMBERSHIP_ERRORS = new Set([
  'REBALANCE_IN_PROGRESS',
  'NOT_COORDINATOR_FOR_GROUP',
  'ILLEGAL_GENERATION',
  'UNKNOWN_MEMBER_ID',
]);

export function isGroupMembershipError(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 5; depth += 1) {
    const { type, cause } = e as { type?: string; cause?: unknown };
    if (type !== undefined && GROUP_MEMBERSHIP_ERRORS.has(type)) return true;
    e = cause;
  }
  return false;
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
  private stopping = false;
  private inFlight = 0;
  private readonly idleWaiters: Array<() => void> = [];
  private handler: BatchHandler | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  private readonly restartBackoff: Backoff;
  /**
   * Per topic-partition, the group's committed offset as read after this instance took the
   * partition over (exactly-once): messages below it were already delivered by a previous
   * owner, and a fetch that started from an older offset must not deliver them again.
   */
  private readonly deliveredBelow = new Map<string, bigint>();
  private readonly stalls = new Map<string, PartitionStall>();
  private skipWatch: NodeJS.Timeout | null = null;
  private admin: Admin | null = null;

  constructor(private readonly options: BatchConsumerOptions) {
    isolateUndecodableBatches();
    this.log = options.logger;
    this.restartBackoff = new Backoff(options.retryInitialMs, Math.max(options.retryMaxMs, 5_000));
    this.consumer = options.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs,
      // Only committed transactions are read: exactly-once producers upstream stay exact.
      readUncommitted: false,
      // Smaller fetches than kafkajs' 10 MiB / 1 MiB keep the peak RSS down and still give every
      // concurrent partition a batch; the measurements are in docs/performance.md.
      maxBytes: 512 << 10,
      maxBytesPerPartition: 128 << 10,
    });
    this.delivery =
      options.deliveryMode === 'exactly-once'
        ? new TransactionalDelivery(
            options.kafka,
            options.groupId,
            options.transactionalIdPrefix,
            options.compression,
          )
        : new AtLeastOnceDelivery(
            options.kafka,
            this.consumer,
            { initialMs: options.retryInitialMs, maxMs: options.retryMaxMs },
            options.compression,
          );
  }

  get isRunning(): boolean {
    return this.running;
  }

  get isPaused(): boolean {
    return this.pausedSince !== null;
  }

  /** Partitions held at an undecodable batch, oldest first. */
  get stalledPartitions(): PartitionStall[] {
    return [...this.stalls.values()];
  }

  async start(handler: BatchHandler): Promise<void> {
    this.handler = handler;
    await this.delivery.start();
    const { GROUP_JOIN, CRASH, STOP } = this.consumer.events;
    this.consumer.on(GROUP_JOIN, (event) => {
      const assignment = event.payload.memberAssignment;
      const owned = new Set<string>();
      for (const [topic, partitions] of Object.entries(assignment)) {
        for (const partition of partitions) owned.add(`${topic}:${partition}`);
      }
      this.log.info({ assignment }, 'joined consumer group');
      this.deliveredBelow.clear();
      // A partition kept stays paused at its batch (kafkajs keeps pauses across a rebalance).
      // One given away is its new owner's to find stalled, and is resumed here so that, should
      // it come back, it is fetched and found stalled again rather than silently left paused.
      for (const [key, stall] of this.stalls) {
        if (owned.has(key)) continue;
        this.stalls.delete(key);
        this.consumer.resume([{ topic: stall.topic, partitions: [stall.partition] }]);
        this.options.observer?.unstalled?.(stall, 'released');
      }
      void this.delivery.assigned?.(owned).catch(() => undefined);
    });
    this.consumer.on(CRASH, (event) => {
      const { error, restart } = event.payload;
      this.log.error({ err: error, restart }, 'consumer crashed');
      // kafkajs restarts itself after a retriable crash; after any other it has disconnected
      // and stays down, which would leave a live process that screens nothing.
      if (!restart && !this.stopping) this.scheduleRestart();
    });
    this.consumer.on(STOP, () => {
      this.running = false;
    });
    await this.run();
  }

  private async run(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({
      topics: this.options.topics,
      fromBeginning: this.options.fromBeginning ?? true,
    });
    await this.consumer.run({
      autoCommit: false,
      // Never resolve a batch we did not finish: a batch given up on (rebalance, shutdown)
      // must be fetched again, not skipped.
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently,
      eachBatch: (payload) => this.consumeBatch(payload),
    });
    this.running = true;
  }

  private scheduleRestart(): void {
    this.running = false;
    if (this.restartTimer) return;
    const waitMs = this.restartBackoff.next();
    this.log.warn({ retryInMs: waitMs }, 'consumer stopped after a crash; restarting it');
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (this.stopping) return;
      this.run().then(
        () => {
          this.restartBackoff.reset();
          this.log.info('consumer restarted');
        },
        (error: unknown) => {
          this.log.error({ err: error }, 'consumer restart failed');
          this.scheduleRestart();
        },
      );
    }, waitMs);
  }

  private async consumeBatch(payload: EachBatchPayload): Promise<void> {
    if (this.stopping || this.handler === null) return;
    this.inFlight += 1;
    try {
      await this.consumeHeldBatch(payload, this.handler);
    } finally {
      this.inFlight -= 1;
      if (this.inFlight === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  /**
   * A batch, held until it is delivered: each attempt either delivers it or leaves it, and a
   * failed attempt waits with back-off before the next (kafkajs' runner hands each attempt to
   * `createRetry` the same way). Ends when delivered, or given up on (stopping, rebalanced).
   */
  private async consumeHeldBatch(payload: EachBatchPayload, handler: BatchHandler): Promise<void> {
    const { batch, heartbeat, isRunning, isStale } = payload;
    if (batch.messages.length === 0) return;
    if (batch.messages.some((m) => undecodableBatchOf(m) !== null)) {
      this.stall(batch);
      return;
    }
    const held = heldBatchOf(batch);
    const backoff = new Backoff(this.options.retryInitialMs, this.options.retryMaxMs);
    const going = (): boolean => !this.stopping && isRunning() && !isStale();
    while (going()) {
      try {
        await this.attemptBatch(payload, held, handler);
        return;
      } catch (error) {
        if (isGroupMembershipError(error)) {
          this.log.info({ ...held.where, code: describe(error).code }, 'group is rebalancing');
          throw error;
        }
        await this.holdAfterFailure(error, held, backoff, going, heartbeat);
      }
    }
    this.log.info(
      held.where,
      'batch given up without commit (stopping or rebalanced); it will be read again',
    );
  }

  /** One attempt: the messages not yet delivered, handled, their output delivered, reported. */
  private async attemptBatch(
    payload: EachBatchPayload,
    held: HeldBatch,
    handler: BatchHandler,
  ): Promise<void> {
    const { batch, resolveOffset } = payload;
    await this.claimPartition(batch, held.key);
    const consumed = this.undeliveredOf(batch, held);
    const outcome: BatchOutcome =
      consumed.messages.length === 0 ? { records: [] } : await handler(consumed);
    if (consumed.messages.length > 0) await this.delivery.deliver(held.position, outcome.records);
    resolveOffset(held.lastOffset);
    this.markResumed();
    this.reportDelivered(batch, held, consumed, outcome);
  }

  /** Exactly-once: on taking a partition over, where the previous owner's deliveries end. */
  private async claimPartition(batch: Batch, key: string): Promise<void> {
    const claimed = await this.delivery.claim?.(batch.topic, batch.partition);
    if (!claimed?.fresh) return;
    this.log.info(
      { topic: batch.topic, partition: batch.partition, committed: claimed.committed },
      'took over the partition: continuing from its committed offset',
    );
    if (claimed.committed !== null) this.deliveredBelow.set(key, BigInt(claimed.committed));
  }

  private undeliveredOf(batch: Batch, held: HeldBatch): ConsumedBatch {
    const consumed = toConsumedBatch(batch, this.deliveredBelow.get(held.key) ?? -1n);
    if (consumed.messages.length < batch.messages.length) {
      this.log.info(
        { ...held.where, skipped: batch.messages.length - consumed.messages.length },
        'skipping messages a previous owner of the partition already delivered',
      );
    }
    return consumed;
  }

  private reportDelivered(
    batch: Batch,
    held: HeldBatch,
    consumed: ConsumedBatch,
    outcome: BatchOutcome,
  ): void {
    try {
      outcome.delivered?.();
    } catch (error) {
      // Reporting must never undo a delivered batch.
      this.log.error({ ...held.where, err: error }, 'reporting a delivered batch failed');
    }
    this.options.observer?.batchDelivered?.({
      topic: batch.topic,
      partition: batch.partition,
      messages: consumed.messages.length,
      records: outcome.records.length,
      durationMs: performance.now() - held.started,
      lag: Number(batch.offsetLag()),
    });
  }

  /** A failed attempt: the consumer is marked paused, the failure logged, then the back-off. */
  private async holdAfterFailure(
    error: unknown,
    held: HeldBatch,
    backoff: Backoff,
    going: () => boolean,
    heartbeat: () => Promise<void>,
  ): Promise<void> {
    const why = describe(error);
    const waitMs = backoff.next();
    this.markPaused(why.code);
    this.log[why.retriable ? 'warn' : 'error'](
      {
        ...held.where,
        code: why.code,
        attempt: backoff.attempts,
        retryInMs: waitMs,
        err: why.retriable ? undefined : error,
      },
      `batch held, will retry: ${why.message}`,
    );
    await this.wait(waitMs, going, heartbeat);
  }

  /**
   * Holds the partition where it is, unresolved and paused, and returns at once: holding the
   * batch here instead would stop kafkajs fetching every partition led by the same broker.
   */
  private stall(batch: Batch): void {
    const marked = batch.messages.map((m) => undecodableBatchOf(m)).find((u) => u !== null);
    if (!marked) return;
    const fetched = BigInt((batch as Batch & { fetchedOffset?: string }).fetchedOffset ?? 0);
    const first = BigInt(marked.firstOffset);
    const stall: PartitionStall = {
      topic: batch.topic,
      partition: batch.partition,
      offset: (first > fetched ? first : fetched).toString(),
      lastOffset: marked.lastOffset,
      reason: marked.reason,
      since: Date.now(),
    };
    this.consumer.pause([{ topic: stall.topic, partitions: [stall.partition] }]);
    const key = `${stall.topic}:${stall.partition}`;
    const known = this.stalls.get(key);
    if (known?.offset === stall.offset) return;
    this.stalls.set(key, stall);
    this.log.error(
      { ...stall, skip: skipCommand(stall) },
      'partition stalled: a record batch cannot be decoded; nothing on this partition is screened until an operator skips it',
    );
    this.options.observer?.stalled?.(stall);
    this.watchSkipOrders();
  }

  private watchSkipOrders(): void {
    if (this.skipWatch !== null || this.stopping) return;
    this.skipWatch = setTimeout(() => {
      this.applySkipOrders()
        .then(
          () => undefined,
          (error: unknown) => this.log.warn({ err: error }, 'reading skip orders failed'),
        )
        .finally(() => {
          this.skipWatch = null;
          if (this.stalls.size > 0) this.watchSkipOrders();
        });
    }, SKIP_ORDER_POLL_MS);
  }

  /** Moves past a stalled batch once `npm run skip` ordered exactly that batch skipped. */
  private async applySkipOrders(): Promise<void> {
    if (this.stalls.size === 0 || this.stopping) return;
    if (this.admin === null) {
      this.admin = this.options.kafka.admin();
      await this.admin.connect();
    }
    const topics = [...new Set([...this.stalls.values()].map((s) => s.topic))];
    const orders = await this.admin.fetchOffsets({
      groupId: skipOrderGroup(this.options.groupId),
      topics,
    });
    for (const { topic, partitions } of orders) {
      for (const { partition, offset } of partitions) {
        const key = `${topic}:${partition}`;
        const stall = this.stalls.get(key);
        if (!stall || !ordersSkipOf(stall, offset)) continue;
        await this.delivery.claim?.(topic, partition);
        await this.delivery.deliver({ topic, partition, nextOffset: offset }, []);
        this.stalls.delete(key);
        this.consumer.seek({ topic, partition, offset });
        this.consumer.resume([{ topic, partitions: [partition] }]);
        this.log.warn(
          { ...stall, nextOffset: offset },
          'partition resumed after an operator skipped its undecodable batch',
        );
        this.options.observer?.unstalled?.(stall, 'skipped');
      }
    }
  }

  private async wait(
    ms: number,
    going: () => boolean,
    heartbeat: () => Promise<void>,
  ): Promise<void> {
    const until = Date.now() + ms;
    while (Date.now() < until && going()) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, until - Date.now())));
      // Keeps our place in the group during a long outage; fails harmlessly while the broker is
      // away. A rebalance, though, must reach kafkajs (see GROUP_MEMBERSHIP_ERRORS).
      try {
        await heartbeat();
      } catch (error) {
        if (isGroupMembershipError(error)) throw error;
      }
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

  /**
   * Finishes the batches in hand (a held one is given up, uncommitted), makes the offset
   * commits still outstanding, then leaves the group and closes the producers.
   *
   * The drain and the flush come before `consumer.disconnect()` on purpose: once kafkajs'
   * runner is stopping, `consumer.commitOffsets` returns without committing anything (kafkajs
   * 2.2.4 consumer/runner.js `commitOffsets`: `if (!this.running) return`), so a batch finished
   * during the disconnect would have its alerts sent but its offsets not moved, and be
   * screened again after the restart.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    if (this.skipWatch) clearTimeout(this.skipWatch);
    await this.admin?.disconnect().catch(() => undefined);
    if (this.inFlight > 0) {
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
    const uncommitted = (await this.delivery.flush?.()) ?? [];
    if (uncommitted.length > 0) {
      this.log.warn(
        { uncommitted },
        'offsets not committed at shutdown: those batches will be read again',
      );
    }
    this.running = false;
    await this.consumer.disconnect();
    await this.delivery.stop();
  }
}

/** What every attempt at one batch shares: where it is, where its offsets move to, its start. */
interface HeldBatch {
  key: string;
  lastOffset: string;
  position: { topic: string; partition: number; nextOffset: string };
  where: { topic: string; partition: number; firstOffset: string | null; lastOffset: string };
  started: number;
}

function heldBatchOf(batch: Batch): HeldBatch {
  const lastOffset = batch.lastOffset();
  return {
    key: `${batch.topic}:${batch.partition}`,
    lastOffset,
    position: {
      topic: batch.topic,
      partition: batch.partition,
      nextOffset: (BigInt(lastOffset) + 1n).toString(),
    },
    where: {
      topic: batch.topic,
      partition: batch.partition,
      firstOffset: batch.firstOffset(),
      lastOffset,
    },
    started: performance.now(),
  };
}

/** An order matches a stall only when it names the offset right after that very batch. */
function ordersSkipOf(stall: PartitionStall, nextOffset: string): boolean {
  const next = BigInt(nextOffset);
  if (next <= BigInt(stall.offset)) return false;
  return stall.lastOffset === null || next === BigInt(stall.lastOffset) + 1n;
}

function skipCommand(stall: PartitionStall): string {
  return `npm run skip -- --topic ${stall.topic} --partition ${stall.partition} --offset ${stall.offset} --reason "..."`;
}

function toConsumedBatch(batch: Batch, deliveredBelow: bigint): ConsumedBatch {
  const messages = batch.messages.filter((m) => BigInt(m.offset) >= deliveredBelow);
  return {
    topic: batch.topic,
    partition: batch.partition,
    messages: messages.map((m) => ({
      offset: m.offset,
      key: m.key,
      value: m.value,
      headers: m.headers ?? {},
      timestamp: m.timestamp,
    })),
  };
}
