import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Alert, Decision } from '@sekimori/contracts';
import type { BatchObserver, BatchReport, PartitionStall } from '@sekimori/kafka';
import { lapseOf } from '@sekimori/screening';
import { VERSION } from '@sekimori/logging';
import type { VersionMeta } from '@sekimori/list-store';

export interface ReviewCounts {
  clearancesInForce: number;
  frozenSubjects: number;
}

export interface PauseState {
  reason: string;
  since: number;
}

/** Prometheus metrics of the screener; also the running totals the throughput log line reads. */
@Injectable()
export class ScreeningMetrics implements BatchObserver {
  readonly registry = new Registry();
  readonly totals = { events: 0, alerts: 0, decisions: 0, deadLetters: 0, batches: 0 };
  private pause: PauseState | null = null;
  private readonly stalls = new Map<string, PartitionStall>();
  private lists: VersionMeta[] = [];

  private readonly events = new Counter({
    name: 'sekimori_events_in_total',
    help: 'Messages consumed, by input topic',
    labelNames: ['topic'],
    registers: [this.registry],
  });
  private readonly alerts = new Counter({
    name: 'sekimori_alerts_total',
    help: 'Alerts published, by rule',
    labelNames: ['rule'],
    registers: [this.registry],
  });
  private readonly decisions = new Counter({
    name: 'sekimori_decisions_total',
    help: 'Decisions published on decisions.v1, by decision (pass, report, review, hold, block)',
    labelNames: ['decision'],
    registers: [this.registry],
  });
  private readonly deadLetters = new Counter({
    name: 'sekimori_dead_letters_total',
    help: 'Dead letters published, by error code',
    labelNames: ['code'],
    registers: [this.registry],
  });
  private readonly batchSeconds = new Histogram({
    name: 'sekimori_batch_duration_seconds',
    help: 'From the first attempt at a batch to its acknowledged delivery',
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  private readonly lag = new Gauge({
    name: 'sekimori_consumer_lag',
    help: 'Messages left on a partition after the last delivered batch',
    labelNames: ['topic', 'partition'],
    registers: [this.registry],
  });
  private readonly pausedGauge = new Gauge({
    name: 'sekimori_screening_paused',
    help: '1 while batches are held because screening is not possible (Redis or list missing)',
    registers: [this.registry],
  });
  private readonly stalledGauge = new Gauge({
    name: 'sekimori_stalled_partitions',
    help: 'Partitions held at a record batch the screener cannot decode, until npm run skip',
    registers: [this.registry],
  });
  private readonly undecodableBatches = new Counter({
    name: 'sekimori_undecodable_batches_total',
    help: 'Record batches found undecodable (codec, corrupt payload, CRC, record format), by topic',
    labelNames: ['topic'],
    registers: [this.registry],
  });
  private readonly skippedBatches = new Counter({
    name: 'sekimori_skipped_batches_total',
    help: 'Undecodable record batches an operator skipped (npm run skip), by topic',
    labelNames: ['topic'],
    registers: [this.registry],
  });
  // Computed at scrape time from the load time, so the age keeps growing between list checks
  // and an alert rule on it fires even if the list checker itself is stuck.
  private readonly listAge = new Gauge({
    name: 'sekimori_list_age_seconds',
    help: 'Age of the current sanctions list version, from its load time, by list',
    labelNames: ['list'],
    registers: [this.registry],
    collect: () => this.collectListAges(),
  });
  private readonly listCheckedAge = new Gauge({
    name: 'sekimori_list_source_checked_age_seconds',
    help: 'Time since the source of the current list version was last checked, by list (stale past LIST_MAX_AGE_HOURS)',
    labelNames: ['list'],
    registers: [this.registry],
    // Set with sekimori_list_age_seconds, by its collect.
  });
  private readonly listIssued = new Gauge({
    name: 'sekimori_list_issued_timestamp_seconds',
    help: 'Date of issue of the current list version, as Unix time, by list',
    labelNames: ['list'],
    registers: [this.registry],
  });
  private readonly retroScanned = new Counter({
    name: 'sekimori_retro_scanned_total',
    help: 'Past transfers read by re-screens after list updates, by list',
    labelNames: ['list'],
    registers: [this.registry],
  });
  private readonly retroMatched = new Counter({
    name: 'sekimori_retro_matched_total',
    help: 'Past transfers that raised a retroactive alert, by list',
    labelNames: ['list'],
    registers: [this.registry],
  });
  private readonly retroRemainingGauge = new Gauge({
    name: 'sekimori_retro_remaining',
    help: 'Past transfers left to re-screen in the running job, by list (0 when none runs)',
    labelNames: ['list'],
    registers: [this.registry],
  });
  private readonly listInfo = new Gauge({
    name: 'sekimori_list_info',
    help: 'Always 1: the sanctions list versions currently screened against',
    labelNames: ['list', 'version', 'issued_at'],
    registers: [this.registry],
  });
  private readonly listStaleGauge = new Gauge({
    name: 'sekimori_list_stale',
    help: '1 when no list is loaded or a list source was not checked within LIST_MAX_AGE_HOURS',
    registers: [this.registry],
  });

  private readonly apiSeconds = new Histogram({
    name: 'sekimori_api_request_duration_seconds',
    help: 'Screening API requests, from their headers to the end of the answer, by route and status',
    labelNames: ['route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  private readonly apiDropped = new Counter({
    name: 'sekimori_api_connections_dropped_total',
    help: 'Connections the HTTP server closed on arrival because API_MAX_CONNECTIONS were open',
    registers: [this.registry],
  });

  private readonly buildInfo = new Gauge({
    name: 'sekimori_build_info',
    help: 'Always 1: the version running and the Node.js it runs on',
    labelNames: ['version', 'node'],
    registers: [this.registry],
  });

  constructor() {
    // Unprefixed, under the names stock Node.js dashboards and alerts query.
    collectDefaultMetrics({ register: this.registry });
    this.buildInfo.set({ version: VERSION, node: process.version }, 1);
  }

  eventsIn(topic: string, count: number): void {
    this.events.inc({ topic }, count);
    this.totals.events += count;
  }

  private readonly reviews = new Counter({
    name: 'sekimori_reviews_total',
    help: 'Reviews read from reviews.v1, by outcome and result (applied, duplicate, refused)',
    labelNames: ['outcome', 'result'],
    registers: [this.registry],
  });
  private readonly suppressed = new Counter({
    name: 'sekimori_matches_suppressed_total',
    help: 'Matches not raised because a clearance was in force, by rule',
    labelNames: ['rule'],
    registers: [this.registry],
  });
  private readonly lapsed = new Counter({
    name: 'sekimori_clearances_lapsed_total',
    help: 'Matches alerted again because their clearance lapsed: voided by a list change, or expired',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  private readonly standing = new Counter({
    name: 'sekimori_review_effects_total',
    help: 'Clearances recorded and freezes made or released by applied reviews, by effect',
    labelNames: ['effect'],
    registers: [this.registry],
  });
  private readonly holdToFinal = new Histogram({
    name: 'sekimori_hold_to_final_seconds',
    help: 'From the decision a review closes to the final decision that supersedes it',
    buckets: [60, 300, 900, 3600, 4 * 3600, 24 * 3600, 3 * 86400, 7 * 86400, 30 * 86400],
    registers: [this.registry],
  });

  private reviewCounts: (() => Promise<ReviewCounts>) | null = null;
  private counting: { at: number; counts: Promise<ReviewCounts | null> } | null = null;
  private readonly clearancesInForce = new Gauge({
    name: 'sekimori_clearances_in_force',
    help: 'Clearances recorded, not revoked and not past their expiry (read from Redis at scrape: one ZCOUNT)',
    registers: [this.registry],
    collect: () => this.collectReviewCounts(),
  });
  private readonly frozenSubjects = new Gauge({
    name: 'sekimori_frozen_subjects',
    help: 'Accounts and addresses frozen by a confirmed review and not released (read from Redis at scrape: one SCARD)',
    registers: [this.registry],
    // Set with sekimori_clearances_in_force, by its collect.
  });

  /** Where the review gauges read their counts (Redis): set once the store exists. */
  countReviewsWith(counts: () => Promise<ReviewCounts>): void {
    this.reviewCounts = counts;
  }

  /**
   * One read per scrape, shared by both gauges. While Redis does not answer, the gauges keep
   * their last values: a scrape must not fail for it (the Redis health check tells of it).
   */
  private async collectReviewCounts(): Promise<void> {
    if (this.reviewCounts === null) return;
    const now = Date.now();
    if (this.counting === null || now - this.counting.at > 1_000) {
      const counts = this.reviewCounts().catch(() => null);
      this.counting = { at: now, counts };
    }
    const counts = await this.counting.counts;
    if (counts === null) return;
    this.clearancesInForce.set(counts.clearancesInForce);
    this.frozenSubjects.set(counts.frozenSubjects);
  }

  /** One review as it came out of the stream; `final` the decision it completed, if any. */
  review(outcome: string, result: 'applied' | 'duplicate' | 'refused', final: Decision | null) {
    this.reviews.inc({ outcome, result });
    if (result === 'applied' && outcome === 'cleared') this.standing.inc({ effect: 'cleared' });
    if (result === 'applied' && outcome === 'confirmed') this.standing.inc({ effect: 'frozen' });
    if (result === 'applied' && outcome === 'released') this.standing.inc({ effect: 'released' });
    if (final?.supersedes !== undefined) {
      const seconds =
        (Date.parse(final.screenedAt) - Date.parse(final.supersedes.screenedAt)) / 1000;
      if (seconds >= 0) this.holdToFinal.observe(seconds);
    }
  }

  /** The matches a decision lists as suppressed by a clearance. */
  suppressedIn(decision: Decision): void {
    for (const s of decision.suppressed ?? []) this.suppressed.inc({ rule: s.ruleId });
  }

  /** The clearance lapses a name or exposure alert tells of in its reasons. */
  lapsesIn(alert: Alert): void {
    for (const reason of alert.reasons) {
      const lapse = lapseOf(reason);
      if (lapse !== null) this.lapsed.inc({ reason: lapse });
    }
  }

  alert(rule: string): void {
    this.alerts.inc({ rule });
    this.totals.alerts += 1;
  }

  decision(outcome: string): void {
    this.decisions.inc({ decision: outcome });
    this.totals.decisions += 1;
  }

  deadLetter(code: string): void {
    this.deadLetters.inc({ code });
    this.totals.deadLetters += 1;
  }

  apiRequest(route: string, status: number, seconds: number): void {
    this.apiSeconds.observe({ route, status: String(status) }, seconds);
  }

  apiConnectionDropped(): void {
    this.apiDropped.inc();
  }

  retroProgress(listId: string, scanned: number, matched: number): void {
    this.retroScanned.inc({ list: listId }, scanned);
    this.retroMatched.inc({ list: listId }, matched);
  }

  retroRemaining(listId: string, remaining: number): void {
    this.retroRemainingGauge.set({ list: listId }, remaining);
  }

  get isPaused(): boolean {
    return this.pause !== null;
  }

  /** Why and since when batches are held, or null while screening flows. */
  get pauseState(): PauseState | null {
    return this.pause;
  }

  /** The list versions in use, as the list checker last read them. */
  listVersions(versions: VersionMeta[], stale: boolean): void {
    this.lists = versions;
    this.listInfo.reset();
    this.listIssued.reset();
    for (const v of versions) {
      this.listInfo.set({ list: v.listId, version: v.version, issued_at: v.issuedAt }, 1);
      const issued = Date.parse(v.issuedAt);
      if (!Number.isNaN(issued)) this.listIssued.set({ list: v.listId }, issued / 1000);
    }
    this.listStaleGauge.set(stale ? 1 : 0);
  }

  private collectListAges(): void {
    const now = Date.now();
    this.listAge.reset();
    this.listCheckedAge.reset();
    for (const v of this.lists) {
      const loaded = Date.parse(v.loadedAt);
      if (!Number.isNaN(loaded)) {
        this.listAge.set({ list: v.listId }, Math.max(0, (now - loaded) / 1000));
      }
      const checked = Date.parse(v.checkedAt);
      if (!Number.isNaN(checked)) {
        this.listCheckedAge.set({ list: v.listId }, Math.max(0, (now - checked) / 1000));
      }
    }
  }

  batchDelivered(report: BatchReport): void {
    this.totals.batches += 1;
    this.batchSeconds.observe(report.durationMs / 1000);
    this.lag.set({ topic: report.topic, partition: String(report.partition) }, report.lag);
  }

  paused(reason: string): void {
    this.pause = { reason, since: Date.now() };
    this.pausedGauge.set(1);
  }

  resumed(): void {
    this.pause = null;
    this.pausedGauge.set(0);
  }

  stalled(stall: PartitionStall): void {
    this.stalls.set(`${stall.topic}:${stall.partition}`, stall);
    this.stalledGauge.set(this.stalls.size);
    this.undecodableBatches.inc({ topic: stall.topic });
  }

  unstalled(stall: PartitionStall, why: 'skipped' | 'released'): void {
    this.stalls.delete(`${stall.topic}:${stall.partition}`);
    this.stalledGauge.set(this.stalls.size);
    if (why === 'skipped') this.skippedBatches.inc({ topic: stall.topic });
  }
}
