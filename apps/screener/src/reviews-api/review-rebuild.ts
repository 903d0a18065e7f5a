import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { AppConfig } from '@sekimori/config';
import { applyEffect, type HeldRecord, type ReviewEffect } from '@sekimori/screening';
import { APP_CONFIG, LOGGER } from '@sekimori/screening-nest';
import { ReviewStore } from '@sekimori/screening-redis';
import { KAFKA_CLIENT } from '../health/broker.health';

/** How long a rebuild may take before the start fails (closed: nothing is screened without it). */
const REBUILD_TIMEOUT_MS = 120_000;
/** How often a running screener checks that Redis still holds the review state. */
const WATCH_INTERVAL_MS = 2_000;

/** What one rebuild put back: standing effects, and held events with their outcomes. */
export interface Rebuilt {
  effects: number;
  records: number;
}

const HELD_KINDS = new Set<string>(['held', 'outcome', 'final']);

function isHeldRecord(value: ReviewEffect | HeldRecord): value is HeldRecord {
  return HELD_KINDS.has(value.kind);
}

/**
 * Redis holds the working set of reviews; the effects topic holds what they left standing and
 * the held events with their outcomes. When Redis has no "rebuilt" marker (a new or lost Redis),
 * the topic is read to its end and applied before any batch is screened or any review applied,
 * so a frozen account never passes and a review of an older alert is still taken.
 */
@Injectable()
export class ReviewRebuild implements OnModuleDestroy {
  private watch: NodeJS.Timeout | null = null;
  private watching: Promise<unknown> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly log: Logger,
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    private readonly store: ReviewStore,
  ) {}

  /** Rebuilds when needed; what was put back (nothing when Redis had it). */
  async ensure(): Promise<Rebuilt> {
    if (await this.store.isRebuilt()) return { effects: 0, records: 0 };
    const started = Date.now();
    const rebuilt = await this.replay();
    await this.store.markRebuilt(new Date().toISOString());
    this.log.info(
      { topic: this.config.topics.reviewEffects, ...rebuilt, ms: Date.now() - started },
      'review effects rebuilt into Redis',
    );
    return rebuilt;
  }

  /**
   * While running: Redis flushed or replaced under the screener loses the marker; batches then
   * wait (ReviewStore's freeze read fails closed) until this puts the effects back.
   */
  start(): void {
    this.watch ??= setInterval(() => {
      if (this.watching !== null) return;
      this.watching = this.ensure()
        .catch((error: unknown) =>
          this.log.warn({ err: error }, 'review state rebuild failed; retrying'),
        )
        .finally(() => (this.watching = null));
    }, WATCH_INTERVAL_MS);
    this.watch.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.watch !== null) clearInterval(this.watch);
    this.watch = null;
    await this.watching;
  }

  private async replay(): Promise<Rebuilt> {
    const topic = this.config.topics.reviewEffects;
    const admin = this.kafka.admin();
    await admin.connect();
    const ends = await admin
      .fetchTopicOffsets(topic)
      .catch((error: unknown) => {
        // No such topic: no review has ever left an effect here (it is made with the others).
        if ((error as { type?: string }).type !== 'UNKNOWN_TOPIC_OR_PARTITION') throw error;
        this.log.warn({ topic }, 'the review effects topic does not exist: nothing to rebuild');
        return [];
      })
      .finally(() => admin.disconnect());
    const pending = new Set(ends.filter((p) => p.high !== p.low).map((p) => p.partition));
    const rebuilt: Rebuilt = { effects: 0, records: 0 };
    if (pending.size === 0) return rebuilt;
    const consumer = this.kafka.consumer({
      groupId: `${this.config.kafka.groupId}.rebuild.${randomUUID()}`,
      maxWaitTimeInMs: 200,
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`rebuilding from ${topic} took over ${REBUILD_TIMEOUT_MS} ms`)),
          REBUILD_TIMEOUT_MS,
        );
        consumer
          .run({
            eachBatch: async ({ batch }) => {
              for (const message of batch.messages) {
                if (message.value === null) continue;
                const value = JSON.parse(message.value.toString('utf8')) as
                  ReviewEffect | HeldRecord;
                if (isHeldRecord(value)) {
                  if (await this.store.restore(value)) rebuilt.records += 1;
                } else {
                  const at = new Date(Number(message.timestamp)).toISOString();
                  await applyEffect(this.store, value, at);
                  rebuilt.effects += 1;
                }
              }
              // The lag counts commit markers too, so 0 means the partition was read to its end.
              if (batch.offsetLag() === '0') pending.delete(batch.partition);
              if (pending.size === 0) {
                clearTimeout(timer);
                resolve();
              }
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect().catch(() => undefined);
    }
    return rebuilt;
  }
}
