import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { type Admin, ConfigResourceTypes, type Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { AppConfig } from '@sekimori/config';
import { BatchConsumer, compressionType } from '@sekimori/kafka';
import { SanctionsListStore, type VersionMeta } from '@sekimori/list-store';
import { ScreenTransfers } from '@sekimori/screening';
import { type ActiveRetroJob, type RetroProgress, RetroScreening } from '@sekimori/screening-kafka';
import { APP_CONFIG, LOGGER } from '@sekimori/screening-nest';
import { type RetroJob, RetroStore, ReviewStore } from '@sekimori/screening-redis';
import { KAFKA_CLIENT } from '../health/broker.health';
import { ScreeningMetrics } from '../observability/screening-metrics';

const DAY_MS = 86_400_000;
const PROGRESS_LOG_EVERY_MS = 10_000;

/** `topic:partition` → offset, as the job stores its ends. */
type Offsets = Map<string, bigint>;

/**
 * Runs the re-screens (RetroScreening) beside the live stream: notices a list version that has
 * no re-screen yet, records the job (its range: the input topics from the lookback to what is on
 * them now), and works through it as a consumer group of its own, so that it survives restarts
 * (the group's committed offsets), is shared by every screener instance, pauses through a Redis
 * or broker outage (held batches, as the live stream's), and never holds up the live stream.
 */
@Injectable()
export class RetroRunner implements OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private consumer: BatchConsumer | null = null;
  private active: ActiveRetroJob | null = null;
  /** Per partition of the active job, the next offset to re-screen as last delivered. */
  private positions: Offsets = new Map();
  private checking = false;
  private stopping = false;
  private lastProgressLog = 0;
  private readonly retro: RetroScreening;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly log: Logger,
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    private readonly lists: SanctionsListStore,
    private readonly store: RetroStore,
    screening: ScreenTransfers,
    private readonly metrics: ScreeningMetrics,
    held: ReviewStore,
  ) {
    this.retro = new RetroScreening(screening, store, {
      topics: config.topics,
      held,
      maxMessageBytes: config.screener.maxMessageBytes,
      progressed: (active, progress) => this.progressed(active, progress),
    });
  }

  start(): void {
    if (!this.config.retro.enabled) {
      this.log.warn(
        'RETRO_SCREENING is off: past transfers are not re-screened after list updates',
      );
      return;
    }
    this.timer = setInterval(() => void this.check(), this.config.retro.checkIntervalMs);
    this.timer.unref();
    void this.check();
  }

  /** Makes the jobs of new list versions, finishes a job whose range is done, starts the next. */
  private async check(): Promise<void> {
    if (this.checking || this.stopping) return;
    this.checking = true;
    try {
      for (const meta of await this.lists.currentVersions()) await this.ensureJob(meta);
      if (this.active !== null) {
        if (await this.rangeDone(this.active)) await this.finish(this.active);
      } else {
        const next = (await this.store.all()).find((job) => job.state === 'running');
        if (next) await this.begin(next);
      }
    } catch (error) {
      // Redis or the broker away: the next check tries again; the consumer holds its batches.
      this.log.warn({ err: (error as Error).message }, 're-screen check failed; trying again');
    } finally {
      this.checking = false;
    }
  }

  private async ensureJob(meta: VersionMeta): Promise<void> {
    if ((await this.store.get(meta.listId, meta.version)) !== null) return;
    const admin = await this.admin();
    try {
      // The range: what the live group had screened when the version was noticed. Later
      // transfers are screened live against the new version (and any overlap is caught by
      // the raised marks), so a first load does not re-read what the stream is reading anyway.
      const ends: Record<string, string> = {};
      for (const topic of this.inputTopics()) {
        const [committed] = await admin.fetchOffsets({
          groupId: this.config.kafka.groupId,
          topics: [topic],
        });
        for (const p of committed?.partitions ?? []) {
          ends[`${topic}:${p.partition}`] = Number(p.offset) >= 0 ? p.offset : '0';
        }
      }
      const now = Date.now();
      const job: RetroJob = {
        listId: meta.listId,
        version: meta.version,
        previousVersion: meta.previousVersion ?? null,
        issuedAt: meta.issuedAt,
        switchedAt: meta.loadedAt,
        createdAt: new Date(now).toISOString(),
        lookbackFrom: new Date(now - this.config.retro.lookbackDays * DAY_MS).toISOString(),
        ends,
        state: 'running',
        scanned: 0,
        matched: 0,
      };
      if (await this.store.create(job)) {
        this.log.info(
          { listId: job.listId, listVersion: job.version, previousVersion: job.previousVersion },
          're-screen job recorded for a new list version',
        );
      }
    } finally {
      await admin.disconnect();
    }
  }

  private groupOf(job: RetroJob): string {
    return `${this.config.kafka.groupId}-retro-${job.listId}-${job.version}`;
  }

  private inputTopics(): string[] {
    return [this.config.topics.onchain, this.config.topics.exchange];
  }

  private async begin(job: RetroJob): Promise<void> {
    const added = await this.addedKeys(job);
    const ends: Offsets = new Map(Object.entries(job.ends).map(([k, v]) => [k, BigInt(v)]));
    const active: ActiveRetroJob = {
      job,
      addedAddresses: new Set(added.addresses),
      addedNames: new Set(added.names),
      ends,
      lookbackFromMs: Date.parse(job.lookbackFrom),
    };
    const toScan = [...ends.values()].reduce((a, b) => a + b, 0n);
    this.log.info(
      {
        listId: job.listId,
        listVersion: job.version,
        previousVersion: job.previousVersion,
        added: { addresses: added.addresses.length, names: added.names.length },
        lookbackFrom: job.lookbackFrom,
        endOffsets: job.ends,
      },
      're-screen started',
    );
    if ((added.addresses.length === 0 && added.names.length === 0) || toScan === 0n) {
      await this.finish(active);
      return;
    }
    await this.warnOnShortRetention();
    await this.seekToLookback(job);
    this.positions = new Map();
    const consumer = new BatchConsumer({
      kafka: this.kafka,
      groupId: this.groupOf(job),
      topics: this.inputTopics(),
      deliveryMode: this.config.kafka.deliveryMode,
      transactionalIdPrefix: `${this.config.kafka.transactionalIdPrefix}-retro-${job.listId}`,
      sessionTimeoutMs: this.config.kafka.sessionTimeoutMs,
      partitionsConsumedConcurrently: 1,
      compression: compressionType(this.config.kafka.compression),
      retryInitialMs: this.config.screener.retryInitialMs,
      retryMaxMs: this.config.screener.retryMaxMs,
      logger: this.log.child({
        component: 're-screen',
        listId: job.listId,
        listVersion: job.version,
      }),
      fromBeginning: true,
    });
    try {
      await consumer.start((batch) => this.retro.handle(batch, active));
    } catch (error) {
      // The broker away at the start: the next check begins the job again, where it was.
      await consumer.stop().catch(() => undefined);
      throw error;
    }
    this.consumer = consumer;
    this.active = active;
  }

  /**
   * Keys the version holds that the one before it did not. When the one before was never kept
   * (a first load) or is no longer retained, every key counts as added: re-screening more never
   * raises twice (raised alerts are marked), re-screening less could miss a listing.
   */
  private async addedKeys(job: RetroJob): Promise<{ addresses: string[]; names: string[] }> {
    const now = await this.lists.versionKeys(job.listId, job.version);
    if (job.previousVersion === null) return now;
    const kept = await this.lists.versionMeta(job.listId, job.previousVersion);
    if (kept === null) return now;
    const before = await this.lists.versionKeys(job.listId, job.previousVersion);
    const had = { addresses: new Set(before.addresses), names: new Set(before.names) };
    return {
      addresses: now.addresses.filter((k) => !had.addresses.has(k)),
      names: now.names.filter((k) => !had.names.has(k)),
    };
  }

  /** A new job's group starts at the first offset at or after the lookback, not at the topic's start. */
  private async seekToLookback(job: RetroJob): Promise<void> {
    const admin = await this.admin();
    try {
      const groupId = this.groupOf(job);
      for (const topic of this.inputTopics()) {
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
        if (committed?.partitions.some((p) => Number(p.offset) >= 0)) continue;
        const from = await admin.fetchTopicOffsetsByTimestamp(topic, Date.parse(job.lookbackFrom));
        await admin.setOffsets({ groupId, topic, partitions: from });
      }
    } finally {
      await admin.disconnect();
    }
  }

  /** The range is done once the group has committed the end of every partition it covers. */
  private async rangeDone(active: ActiveRetroJob): Promise<boolean> {
    const admin = await this.admin();
    try {
      let remaining = 0n;
      for (const topic of this.inputTopics()) {
        const [committed] = await admin.fetchOffsets({
          groupId: this.groupOf(active.job),
          topics: [topic],
        });
        for (const [key, end] of active.ends) {
          if (!key.startsWith(`${topic}:`)) continue;
          const partition = Number(key.slice(topic.length + 1));
          const at = committed?.partitions.find((p) => p.partition === partition)?.offset;
          const done = at === undefined || Number(at) < 0 ? 0n : BigInt(at);
          if (done < end) remaining += end - done;
        }
      }
      this.metrics.retroRemaining(active.job.listId, Number(remaining));
      return remaining === 0n;
    } finally {
      await admin.disconnect();
    }
  }

  private async finish(active: ActiveRetroJob): Promise<void> {
    await this.consumer?.stop();
    this.consumer = null;
    this.active = null;
    await this.store.finish(active.job, new Date().toISOString());
    const job = await this.store.get(active.job.listId, active.job.version);
    this.metrics.retroRemaining(active.job.listId, 0);
    const admin = await this.admin();
    await admin.deleteGroups([this.groupOf(active.job)]).catch(() => undefined);
    await admin.disconnect();
    this.log.info(
      {
        listId: active.job.listId,
        listVersion: active.job.version,
        scanned: job?.scanned ?? 0,
        matched: job?.matched ?? 0,
      },
      're-screen finished',
    );
  }

  /** Called by RetroScreening for every delivered batch: counts, metrics and a periodic log line. */
  progressed(active: ActiveRetroJob, progress: RetroProgress): void {
    this.positions.set(`${progress.topic}:${progress.partition}`, progress.next);
    this.metrics.retroProgress(active.job.listId, progress.scanned, progress.matched);
    const now = Date.now();
    if (now - this.lastProgressLog < PROGRESS_LOG_EVERY_MS) return;
    this.lastProgressLog = now;
    let remaining = 0n;
    for (const [key, end] of active.ends) {
      const at = this.positions.get(key) ?? 0n;
      if (at < end) remaining += end - at;
    }
    this.log.info(
      {
        listId: active.job.listId,
        listVersion: active.job.version,
        scannedInBatch: progress.scanned,
        matchedInBatch: progress.matched,
        remainingHere: Number(remaining),
      },
      're-screen progress',
    );
  }

  private async warnOnShortRetention(): Promise<void> {
    const admin = await this.admin();
    try {
      const wanted = this.config.retro.lookbackDays * DAY_MS;
      const { resources } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: this.inputTopics().map((name) => ({
          type: ConfigResourceTypes.TOPIC,
          name,
          configNames: ['retention.ms'],
        })),
      });
      for (const resource of resources) {
        const value = resource.configEntries.find(
          (e) => e.configName === 'retention.ms',
        )?.configValue;
        const ms = Number(value);
        if (value !== undefined && ms >= 0 && ms < wanted) {
          this.log.warn(
            {
              topic: resource.resourceName,
              retentionDays: Math.round((ms / DAY_MS) * 10) / 10,
              lookbackDays: this.config.retro.lookbackDays,
            },
            'input topic retention is shorter than RETRO_LOOKBACK_DAYS: older transfers cannot be re-screened (raise retention.ms)',
          );
        }
      }
    } catch (error) {
      this.log.warn({ err: (error as Error).message }, 'cannot read the input topics’ retention');
    } finally {
      await admin.disconnect();
    }
  }

  private async admin(): Promise<Admin> {
    const admin = this.kafka.admin();
    await admin.connect();
    return admin;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await this.consumer?.stop().catch(() => undefined);
  }
}
