// The fault tests' ledger (test/faults): a fixed event stream with known outcomes, the screeners
// a scenario starts, and the verdict that checks every event against what reached the outputs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Admin, Kafka, Producer } from 'kafkajs';
import type { Alert, Decision, DeliveryMode, TopicNames } from '@sekimori/contracts';
import { createTopicsAndWait } from '@sekimori/kafka';
import { kafkaEnv, testRedisUrl, uniqueSuffix, waitFor } from './env';
import { freshTopics, kafkaClient, TopicCollector, topicEnv } from './kafka';
import { dropPrefix, freshPrefix, redisClientFor } from './redis';
import { ROOT, ScreenerProcess } from './screener-process';
import { excerptList, publishList } from './lists';
import { type CollectedRecord, readCommittedWithJava } from './read-committed';

export type { DeliveryMode } from '@sekimori/contracts';

export const GARANTEX_ETH = '0x7FF9cFad3877F21d41Da833E2F775dB0569eE3D9';

export interface StreamEvent {
  eventId: string;
  key: string;
  value: Buffer;
  outcome: 'alert' | 'dead-letter' | 'clean';
}

/**
 * A fixed stream whose outcome is known event by event: every `sanctionedEvery`-th transfer
 * goes to Garantex's listed Ethereum address (one SANCTIONS_ADDRESS_MATCH alert each), every
 * `badEvery`-th message is not JSON (one dead letter each), the rest are clean on-chain
 * transfers between unlisted addresses (no alert: on-chain events without a valuation rule
 * only meet the address rules).
 */
export function faultStream(
  count: number,
  { sanctionedEvery = 10, badEvery = 97 }: { sanctionedEvery?: number; badEvery?: number } = {},
): StreamEvent[] {
  const tag = uniqueSuffix();
  const events: StreamEvent[] = [];
  for (let i = 1; i <= count; i += 1) {
    const eventId = `fault-${tag}-${i}`;
    if (i % badEvery === 0) {
      events.push({
        eventId,
        key: eventId,
        value: Buffer.from(`{"not json" ${i}`),
        outcome: 'dead-letter',
      });
      continue;
    }
    const sanctioned = i % sanctionedEvery === 0;
    const hex = i.toString(16).padStart(8, '0');
    const transfer = {
      type: 'onchain-transfer',
      eventId,
      chain: 'ethereum',
      txHash: `0x${hex.padStart(64, 'c')}`,
      index: 0,
      blockTime: '2026-03-15T09:30:00Z',
      from: [`0x${hex.padStart(40, 'a')}`],
      to: sanctioned ? GARANTEX_ETH : `0x${hex.padStart(40, 'b')}`,
      asset: 'ETH',
      amount: '1.5',
    };
    events.push({
      eventId,
      key: eventId,
      value: Buffer.from(JSON.stringify(transfer)),
      outcome: sanctioned ? 'alert' : 'clean',
    });
  }
  return events;
} /** One line of the table in docs/reliability.md. */
export interface ReliabilityRow {
  scenario: string;
  mode: DeliveryMode;
  eventsIn: number;
  expectedAlerts: number;
  alertsOut: number;
  uniqueAlerts: number;
  duplicates: number;
  lost: number;
  /** Alerts for events that should have raised none. */
  unexpected: number;
  expectedDeadLetters: number;
  deadLettersOut: number;
  /** Decisions read (copies included), events without one, extra copies, and wrong answers. */
  decisionsOut: number;
  decisionsLost: number;
  decisionDuplicates: number;
  decisionsWrong: number;
  /** The group's committed offsets reached the end of every input partition. */
  allCommitted: boolean;
  /** Who read the alerts: the Java client at read_committed, or kafkajs. */
  alertsReadBy: 'java read_committed' | 'kafkajs read_committed';
  /** Duplicates as a kafkajs read_committed consumer saw them (its aborted-record filter leaks). */
  kafkajsDuplicates: number;
  durationSeconds: number;
  notes: string;
  ranAt: string;
}

export const RESULTS_DIR = join(ROOT, 'test', 'faults', '.results');

export function recordRow(row: ReliabilityRow): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${row.scenario.replace(/[^a-z0-9]+/gi, '-')}.${row.mode}.json`);
  writeFileSync(file, `${JSON.stringify(row, null, 2)}\n`);
}

export interface FaultRunOptions {
  scenario: string;
  mode: DeliveryMode;
  events?: number;
  /** A private broker's KAFKA_BROKERS and security settings (IsolatedBroker.kafkaEnv()). */
  kafkaEnv?: Record<string, string>;
  redisUrl?: string;
  partitions?: number;
  /** Publish the excerpt list before the run (default true). */
  loadList?: boolean;
}

/**
 * One scenario: fresh topics and key prefix, a fixed stream, the screeners it starts, and the
 * check at the end. The group id and transactional id prefix are fixed for the run, so a
 * restarted screener takes over the same group and the same transactional ids.
 */
export class FaultRun {
  readonly topics: TopicNames = freshTopics();
  readonly prefix = freshPrefix();
  readonly groupId = `fault-screener-${uniqueSuffix()}`;
  readonly kafka: Kafka;
  readonly stream: StreamEvent[];
  readonly screeners: ScreenerProcess[] = [];
  readonly alerts: TopicCollector;
  readonly decisions: TopicCollector;
  readonly deadLetters: TopicCollector;
  /** KAFKA_BROKERS and the security settings of the broker the run is on. */
  readonly kafkaEnv: Record<string, string>;
  readonly redisUrl: string;
  readonly notes: string[] = [];
  /** The list version published by setUp. */
  listVersion = '';
  private produced = 0;
  private producer: Producer | null = null;
  private admin: Admin | null = null;
  private readonly started = Date.now();

  constructor(readonly options: FaultRunOptions) {
    this.kafkaEnv = options.kafkaEnv ?? kafkaEnv();
    this.redisUrl = options.redisUrl ?? testRedisUrl();
    this.kafka = kafkaClient(this.kafkaEnv, {
      clientId: 'sekimori-fault-tests',
      retry: { retries: 12, initialRetryTime: 200, maxRetryTime: 3_000 },
    });
    this.stream = faultStream(options.events ?? 2_000);
    this.alerts = new TopicCollector(this.topics.alerts, true, this.kafka);
    this.decisions = new TopicCollector(this.topics.decisions, true, this.kafka);
    this.deadLetters = new TopicCollector(this.topics.deadLetters, true, this.kafka);
  }

  get mode(): DeliveryMode {
    return this.options.mode;
  }

  get expectedAlerts(): StreamEvent[] {
    return this.stream.filter((e) => e.outcome === 'alert');
  }

  get producedCount(): number {
    return this.produced;
  }

  async setUp(): Promise<this> {
    this.admin = this.kafka.admin();
    await this.admin.connect();
    await createTopicsAndWait(this.admin, Object.values(this.topics), this.options.partitions ?? 3);
    if (this.options.loadList ?? true) {
      this.listVersion = await publishList(this.redisUrl, this.prefix, await excerptList());
    }
    await this.alerts.start();
    await this.decisions.start();
    await this.deadLetters.start();
    return this;
  }

  screenerEnv(extra: Record<string, string> = {}): Record<string, string> {
    return {
      ...topicEnv(this.topics),
      ...this.kafkaEnv,
      REDIS_URL: this.redisUrl,
      REDIS_KEY_PREFIX: this.prefix,
      KAFKA_GROUP_ID: this.groupId,
      KAFKA_TRANSACTIONAL_ID_PREFIX: this.groupId,
      DELIVERY_MODE: this.mode,
      // The broker's minimum: a killed member's partitions move after 6 s, not 30.
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      SHUTDOWN_TIMEOUT_MS: '10000',
      THROUGHPUT_LOG_INTERVAL_MS: '1000',
      LOG_LEVEL: 'info',
      // These scenarios judge live delivery; re-screening under faults is test/retro's. A
      // re-screen job records its range when the screener notices a version, so transfers the
      // live group screened against that version before then are re-decided: one more
      // (retroactive) decision each. A slow start (SASL_SSL) made it show here.
      RETRO_SCREENING: 'false',
      ...extra,
    };
  }

  async startScreener(extra: Record<string, string> = {}): Promise<ScreenerProcess> {
    const screener = await ScreenerProcess.start(this.screenerEnv(extra));
    this.screeners.push(screener);
    return screener;
  }

  private async connectedProducer(): Promise<Producer> {
    if (!this.producer) {
      this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await this.producer.connect();
    }
    return this.producer;
  }

  /** Produces the next events of the stream, up to `until` (exclusive), in chunks. */
  async produceUntil(until: number, chunk = 50, pauseMs = 10): Promise<void> {
    const producer = await this.connectedProducer();
    while (this.produced < Math.min(until, this.stream.length)) {
      const next = this.stream.slice(this.produced, Math.min(until, this.produced + chunk));
      await producer.send({
        topic: this.topics.onchain,
        acks: -1,
        messages: next.map((e) => ({ key: e.key, value: e.value })),
      });
      this.produced += next.length;
      if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }

  produceRest(chunk = 50, pauseMs = 10): Promise<void> {
    return this.produceUntil(this.stream.length, chunk, pauseMs);
  }

  /** Alerts seen so far, for events of this run. */
  alertedEventIds(): Set<string> {
    return new Set(this.alerts.json<Alert>().map((a) => a.eventId));
  }

  /**
   * Sends `signal` to a screener while it has a batch in hand: as soon as it logs an alert (alerts
   * are logged while a batch is screened, before its output is delivered and its offsets move).
   * With a backlog on the input the screener is inside some batch at almost any moment anyway.
   */
  async interrupt(
    screener: ScreenerProcess,
    signal: NodeJS.Signals,
    timeoutMs = 30_000,
  ): Promise<{ exitMs: number; code: number | null; onAlertLog: boolean }> {
    const from = screener.logs.length;
    const until = Date.now() + 10_000;
    let onAlertLog = false;
    while (Date.now() < until) {
      if (screener.logs.slice(from).some((l) => l.msg === 'alert')) {
        onAlertLog = true;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const started = Date.now();
    const code = await screener.stop(signal, timeoutMs);
    return { exitMs: Date.now() - started, code, onAlertLog };
  }

  /**
   * Kills (or stops) whichever of the screeners logs an alert first: the one that has a batch
   * of the transfer topic in hand.
   */
  async interruptBusiest(
    screeners: ScreenerProcess[],
    signal: NodeJS.Signals,
  ): Promise<{ victim: ScreenerProcess; onAlertLog: boolean }> {
    const from = screeners.map((s) => s.logs.length);
    const until = Date.now() + 10_000;
    while (Date.now() < until) {
      const busy = screeners.findIndex((s, i) =>
        s.logs.slice(from[i]).some((l) => l.msg === 'alert'),
      );
      if (busy >= 0) {
        await screeners[busy].stop(signal, 30_000);
        return { victim: screeners[busy], onAlertLog: true };
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await screeners[0].stop(signal, 30_000);
    return { victim: screeners[0], onAlertLog: false };
  }

  /** Sum of the group's committed offsets over the input partitions (how far it has got). */
  async committedTotal(): Promise<bigint> {
    const [committed] = await (this.admin as Admin).fetchOffsets({
      groupId: this.groupId,
      topics: [this.topics.onchain],
    });
    return (committed?.partitions ?? []).reduce(
      (sum, p) => sum + (BigInt(p.offset) > 0n ? BigInt(p.offset) : 0n),
      0n,
    );
  }

  /** Waits until every alert expected from the events produced so far is out. */
  async waitForAlertsOfProduced(timeoutMs = 60_000): Promise<void> {
    const expected = this.stream
      .slice(0, this.produced)
      .filter((e) => e.outcome === 'alert')
      .map((e) => e.eventId);
    await waitFor(
      `the alerts of the ${this.produced} events produced so far`,
      () => {
        const seen = this.alertedEventIds();
        return expected.every((id) => seen.has(id));
      },
      timeoutMs,
      50,
    );
  }

  async waitForAlertCount(count: number, timeoutMs = 60_000): Promise<void> {
    await waitFor(
      `${count} alerts on ${this.topics.alerts}`,
      () => this.alertedEventIds().size >= count,
      timeoutMs,
      20,
    );
  }

  async waitForAllAlerts(timeoutMs = 90_000): Promise<void> {
    const expected = this.expectedAlerts.map((e) => e.eventId);
    await waitFor(
      `every expected alert on ${this.topics.alerts}`,
      () => {
        const seen = this.alertedEventIds();
        return expected.every((id) => seen.has(id));
      },
      timeoutMs,
      100,
    ).catch((error: Error) => {
      const seen = this.alertedEventIds();
      const missing = expected.filter((id) => !seen.has(id)).length;
      throw new Error(`${error.message}: ${missing} of ${expected.length} missing`);
    });
  }

  /** The group's committed offsets (transactional ones included) at the end of every input partition. */
  async allCommitted(): Promise<boolean> {
    return (await this.commitGaps()).length === 0;
  }

  /** The input partitions whose committed offset is short of their end, as `p<n> committed/end`. */
  async commitGaps(): Promise<string[]> {
    const admin = this.admin as Admin;
    const ends = await admin.fetchTopicOffsets(this.topics.onchain);
    const [committed] = await admin.fetchOffsets({
      groupId: this.groupId,
      topics: [this.topics.onchain],
    });
    return ends.flatMap((end) => {
      const offset = committed?.partitions.find((p) => p.partition === end.partition)?.offset;
      return offset !== undefined && BigInt(offset) >= BigInt(end.high)
        ? []
        : [`p${end.partition} ${offset ?? 'none'}/${end.high}`];
    });
  }

  /**
   * Waits until the run is over: every expected alert out, every input offset committed, and
   * the collectors quiet (no late duplicate still on its way).
   */
  async waitForCompletion(timeoutMs = 90_000): Promise<void> {
    await this.waitForAllAlerts(timeoutMs);
    await waitFor(
      'the group committing every input offset',
      () => this.allCommitted(),
      timeoutMs,
      200,
    );
    const expectedDlq = this.stream.filter((e) => e.outcome === 'dead-letter').length;
    await waitFor(
      `${expectedDlq} dead letters`,
      () => this.deadLetterSources().size >= expectedDlq,
      timeoutMs,
      100,
    );
    // Every event with an eventId gets a decision; the stream's bad events are not JSON.
    const expectedDecisions = this.stream.filter((e) => e.outcome !== 'dead-letter');
    await waitFor(
      `${expectedDecisions.length} decisions`,
      () => {
        const decided = this.decidedEventIds();
        return expectedDecisions.every((e) => decided.has(e.eventId));
      },
      timeoutMs,
      100,
    );
    let last = -1;
    await waitFor(
      'the alert, decision and dead-letter collectors to settle',
      () => {
        const now =
          this.alerts.messages.length +
          this.decisions.messages.length +
          this.deadLetters.messages.length;
        const settled = now === last;
        last = now;
        return settled;
      },
      30_000,
      1_500,
    );
  }

  /** Events with a decision so far. */
  decidedEventIds(): Set<string> {
    return new Set(this.decisions.json<Decision>().map((d) => d.eventId));
  }

  /** The input positions (partition:offset) that dead letters came from. */
  deadLetterSources(): Set<string> {
    return new Set(
      this.deadLetters.messages.map(
        (r) => `${r.headers['dlq-source-partition']}:${r.headers['dlq-source-offset']}`,
      ),
    );
  }

  /** Counts what came out against what the stream says should have, and records the row. */
  verdict(
    records: CollectedRecord[] | null = null,
    decisionRecords: CollectedRecord[] | null = null,
  ): ReliabilityRow {
    const byEvent = new Map(this.stream.map((e) => [e.eventId, e]));
    const fromKafkajs = this.alerts.json<Alert>();
    const alerts =
      records?.map((r) => JSON.parse(r.value?.toString('utf8') ?? 'null') as Alert) ?? fromKafkajs;
    const ids = new Set(alerts.map((a) => a.alertId));
    const alerted = new Set(alerts.map((a) => a.eventId));
    const expected = this.expectedAlerts;
    const lost = expected.filter((e) => !alerted.has(e.eventId)).length;
    const unexpected = alerts.filter(
      (a) => byEvent.get(a.eventId)?.outcome !== 'alert' || a.ruleId !== 'SANCTIONS_ADDRESS_MATCH',
    ).length;
    const dlqOffsets = [...this.deadLetterSources()];
    const decisions = (decisionRecords ?? this.decisions.messages).map(
      (r) => JSON.parse(r.value?.toString('utf8') ?? 'null') as Decision,
    );
    const decidedAs = new Map(decisions.map((d) => [d.eventId, d.decision]));
    const decidable = this.stream.filter((e) => e.outcome !== 'dead-letter');
    return {
      scenario: this.options.scenario,
      mode: this.mode,
      eventsIn: this.stream.length,
      expectedAlerts: expected.length,
      alertsOut: alerts.length,
      uniqueAlerts: ids.size,
      duplicates: alerts.length - ids.size,
      lost,
      unexpected,
      expectedDeadLetters: this.stream.filter((e) => e.outcome === 'dead-letter').length,
      deadLettersOut: new Set(dlqOffsets).size,
      decisionsOut: decisions.length,
      decisionsLost: decidable.filter((e) => !decidedAs.has(e.eventId)).length,
      decisionDuplicates: decisions.length - decidedAs.size,
      decisionsWrong: decidable.filter(
        (e) =>
          decidedAs.has(e.eventId) &&
          decidedAs.get(e.eventId) !== (e.outcome === 'alert' ? 'block' : 'pass'),
      ).length,
      allCommitted: false,
      alertsReadBy: records ? 'java read_committed' : 'kafkajs read_committed',
      kafkajsDuplicates: fromKafkajs.length - new Set(fromKafkajs.map((a) => a.alertId)).size,
      durationSeconds: Math.round((Date.now() - this.started) / 100) / 10,
      notes: this.notes.join('; '),
      ranAt: new Date().toISOString(),
    };
  }

  /** Alerts that came out more than once, with the positions of each copy (for diagnosis). */
  duplicateCopies(): Array<{ eventId: string; copies: string[] }> {
    const seen = new Map<string, string[]>();
    for (const r of this.alerts.messages) {
      const alert = JSON.parse(r.value?.toString('utf8') ?? 'null') as Alert;
      const at = `${r.partition}:${r.offset}@${alert.detectedAt}`;
      seen.set(alert.alertId, [...(seen.get(alert.alertId) ?? []), `${alert.eventId} ${at}`]);
    }
    return [...seen.values()]
      .filter((copies) => copies.length > 1)
      .map((copies) => ({ eventId: copies[0].split(' ')[0], copies }));
  }

  /**
   * The verdict, recorded. Exactly-once runs are judged on what the reference Java consumer
   * reads at read_committed; at-least-once output has no transactions, so kafkajs reads it right.
   */
  async finish(): Promise<ReliabilityRow> {
    const exactlyOnce = this.mode === 'exactly-once';
    const records = exactlyOnce
      ? await readCommittedWithJava(this.kafkaEnv, this.topics.alerts)
      : null;
    const decisionRecords = exactlyOnce
      ? await readCommittedWithJava(this.kafkaEnv, this.topics.decisions)
      : null;
    if (this.mode === 'exactly-once' && records === null) {
      this.notes.push('Java reader unavailable: alerts read with kafkajs');
    }
    const gaps = await this.commitGaps();
    if (gaps.length > 0) this.notes.push(`offsets not committed to the end: ${gaps.join(', ')}`);
    const row = { ...this.verdict(records, decisionRecords), allCommitted: gaps.length === 0 };
    recordRow(row);
    return row;
  }

  async tearDown(): Promise<void> {
    for (const screener of this.screeners) {
      if (screener.running) await screener.stop('SIGKILL', 10_000).catch(() => undefined);
    }
    // The screeners' logs, for a post-mortem of a failed or surprising run (gitignored).
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(
      join(RESULTS_DIR, `${this.options.scenario.replace(/[^a-z0-9]+/gi, '-')}.${this.mode}.log`),
      this.screeners
        .map((s, i) =>
          [`# screener ${i}`, ...s.logs.map((l) => JSON.stringify(l)), ...s.stderr].join('\n'),
        )
        .join('\n'),
    );
    await this.alerts.stop();
    await this.decisions.stop();
    await this.deadLetters.stop();
    await this.producer?.disconnect().catch(() => undefined);
    if (this.admin) {
      await this.admin.deleteTopics({ topics: Object.values(this.topics) }).catch(() => undefined);
      await this.admin.disconnect().catch(() => undefined);
    }
    const redis = redisClientFor(this.redisUrl, { maxRetriesPerRequest: 1 });
    redis.on('error', () => undefined);
    await dropPrefix(redis, this.prefix).catch(() => undefined);
    redis.disconnect();
  }
}

/**
 * The verdict every fault run must reach: nothing lost or unexpected, every dead letter out,
 * every offset committed, every decision right; and no duplicate where the run promises none
 * (exactly-once, or a fault that cannot cause one).
 */
export function expectNothingLost(
  row: ReliabilityRow,
  { noDuplicates }: { noDuplicates: boolean },
): void {
  expect(row.lost).toBe(0);
  expect(row.unexpected).toBe(0);
  expect(row.deadLettersOut).toBe(row.expectedDeadLetters);
  expect(row.allCommitted).toBe(true);
  expect(row.decisionsLost).toBe(0);
  expect(row.decisionsWrong).toBe(0);
  if (noDuplicates) {
    expect(row.duplicates).toBe(0);
    expect(row.decisionDuplicates).toBe(0);
  }
}
