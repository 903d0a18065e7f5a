import { copyFileSync, existsSync, unlinkSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Admin, Kafka } from 'kafkajs';
import type { Redis } from 'ioredis';
import type { KafkaCompression } from '@sekimori/config';
import type { Rate, TopicNames } from '@sekimori/contracts';
import type { StreamMessage } from './dataset/stream';
import {
  countMessages,
  createTopics,
  endOffsets,
  inputCompression,
  inputTopics,
  sendBounded,
  startCollector,
  topicsFor,
  waitForDrain,
} from './kafka-io';
import {
  type AllocationBreakdown,
  type AllocationSampling,
  attributeAllocationFile,
} from './allocation-profile';
import { attributeProfileDir, type StageBreakdown } from './cpu-profile';
import { CpuShares, type CpuSharesResult, cpuSeconds, peakRssMB } from './proc';
import { cloneLists, seedRates } from './redis-prep';
import {
  isBarePipe,
  READY_LINE,
  startVariant,
  type StartOptions,
  type VariantId,
} from './variants';

export interface RunContext {
  runId: string;
  runDir: string;
  root: string;
  benchMain: string;
  brokers: string;
  redisUrl: string;
  kafka: Kafka;
  admin: Admin;
  redis: Redis;
  partitions: number;
  partitionsConcurrently: number;
  /** Redis prefix holding the list the loader published. */
  listPrefix: string;
  initialRates: Rate[];
  profile: boolean;
  /** --alloc-profile / --alloc-survivors: bytes per event by stage over the throughput window. */
  allocProfile: AllocationSampling | null;
  nodeFlags: string[];
  /** --compression: the input's and the screener's output's; null for the defaults. */
  compression: KafkaCompression | null;
  /** The local broker's and Redis's pids, to account for the CPU they use (null when remote). */
  tenantPids: { broker: number | null; redis: number | null };
  log: (line: string) => void;
}

export interface ThroughputResult {
  events: number;
  seconds: number;
  eventsPerSec: number;
  cpuSeconds: number;
  cpuSecondsPer100k: number;
  peakRssMB: number;
  alerts: number;
  deadLetters: number;
  /** Records on the decisions topic (screener variants; null for the baseline, which writes none). */
  decisions: number | null;
  /** Decisions listing a match under `suppressed` (a clearance in force); absent for the baseline. */
  suppressed?: number;
  /** Whether the variant wrote what it must: one output per input (baseline), one decision per screened event. */
  output: OutputCheck;
  loadAvg1mBefore: number;
  /** --profile: CPU per event by stage over the measured window (null when not profiled). */
  stages?: StageBreakdown | null;
  /** --alloc-profile: bytes allocated per event by stage over the same window (null when not). */
  allocations?: AllocationBreakdown | null;
}

export interface OutputCheck {
  ok: boolean;
  detail: string;
}

/**
 * The baseline writes one output per input; a screener variant writes a decision for every
 * event with a readable eventId (keyed by it), none for another, and at least one per event.
 */
function checkOutput(
  id: VariantId,
  events: number,
  outputs: number,
  decisionKeys: Map<string, number>,
  expected: ReadonlySet<string>,
): OutputCheck {
  if (isBarePipe(id)) {
    return {
      ok: outputs === events,
      detail: `${outputs.toLocaleString('en-US')} outputs for ${events.toLocaleString('en-US')} inputs`,
    };
  }
  return checkDecisions(decisionKeys, expected);
}

export interface DecisionCheck extends OutputCheck {
  missing: number;
  unexpected: number;
  /** Decisions beyond the first of an event (at-least-once may repeat after a rebalance). */
  repeated: number;
}

/** Every expected event decided, none for an unknown eventId; repeats counted, not failed. */
export function checkDecisions(
  decisionKeys: ReadonlyMap<string, number>,
  expected: ReadonlySet<string>,
): DecisionCheck {
  let missing = 0;
  for (const eventId of expected) if (!decisionKeys.has(eventId)) missing += 1;
  let unexpected = 0;
  let repeated = 0;
  for (const [eventId, n] of decisionKeys) {
    if (!expected.has(eventId)) unexpected += 1;
    if (n > 1) repeated += n - 1;
  }
  return {
    ok: missing === 0 && unexpected === 0,
    missing,
    unexpected,
    repeated,
    detail:
      `${decisionKeys.size.toLocaleString('en-US')} events decided of ${expected.size.toLocaleString('en-US')} screened` +
      (missing > 0 ? `, ${missing} MISSING` : '') +
      (unexpected > 0 ? `, ${unexpected} for unknown eventIds` : '') +
      (repeated > 0 ? `, ${repeated} repeats` : ''),
  };
}

export interface LatencyResult {
  offeredPerSec: number;
  /** Events produced before sampling starts, at the same rate. */
  warmupEvents: number;
  /** The rate the load generator really reached (it shares the CPUs too). */
  achievedPerSec: number;
  events: number;
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** From the last event produced to the group having committed everything. */
  drainAfterLastMs: number;
  /** The variant consumed at the offered rate (drained within a second of the last send). */
  keptUp: boolean;
  /**
   * Who used the CPUs from the first event produced to the group having committed the last:
   * the variant, the broker, Redis and the harness (load generator and collector), in cores.
   */
  cpu: CpuSharesResult;
}

export async function prepare(
  ctx: RunContext,
  id: VariantId,
  phase: string,
  topics: TopicNames,
  ownInputs: boolean,
): Promise<StartOptions> {
  const name = `${phase}-${id}`;
  await createTopics(
    ctx.admin,
    // Each variant's reviews topics are its own and stay empty: the screener reads both.
    ownInputs
      ? Object.values(topics)
      : [topics.alerts, topics.decisions, topics.deadLetters, topics.reviews, topics.reviewEffects],
    ctx.partitions,
  );
  const redisPrefix = `bench-${ctx.runId}-${name}`;
  if (!isBarePipe(id)) {
    await cloneLists(ctx.redis, ctx.listPrefix, redisPrefix);
    await seedRates(ctx.redis, redisPrefix, ctx.initialRates);
  }
  return {
    root: ctx.root,
    benchMain: ctx.benchMain,
    brokers: ctx.brokers,
    redisUrl: ctx.redisUrl,
    topics,
    groupId: `bench-${ctx.runId}-${name}`,
    redisPrefix,
    logFile: join(ctx.runDir, `${name}.log`),
    nodeFlags: [
      ...ctx.nodeFlags,
      // Not the latency steps: the profiler's own cost would move the knee.
      ...(ctx.profile && !phase.startsWith('lat')
        ? ['--cpu-prof', `--cpu-prof-dir=${profileDir(ctx, name)}`]
        : []),
      ...(samplesAllocations(ctx, phase) ? [`--require=${allocationPreload(ctx)}`] : []),
    ],
    partitionsConcurrently: ctx.partitionsConcurrently,
    ...(ctx.compression ? { compression: ctx.compression } : {}),
  };
}

/** --alloc-profile and --alloc-survivors sample the throughput runs only. */
function samplesAllocations(ctx: RunContext, phase: string): boolean {
  return ctx.allocProfile !== null && phase.startsWith('tput');
}

/** The preload that samples allocations between two SIGUSR2s: every byte, or the survivors. */
function allocationPreload(ctx: RunContext): string {
  const file =
    ctx.allocProfile === 'survivors' ? 'allocation-survivors.js' : 'allocation-sampling.js';
  return join(ctx.root, 'bench', 'preload', file);
}

/**
 * Stops the variant's allocation sampling (the second SIGUSR2), waits for the profile it writes,
 * keeps it in the run directory and attributes it. Null, with a log line, when none comes.
 */
async function collectAllocations(
  ctx: RunContext,
  pid: number,
  name: string,
  events: number,
): Promise<AllocationBreakdown | null> {
  const written = join(tmpdir(), `sekimori-alloc-${pid}.heapprofile`);
  process.kill(pid, 'SIGUSR2');
  for (let waited = 0; !existsSync(written) && waited < 30_000; waited += 100) await sleep(100);
  if (!existsSync(written)) {
    ctx.log(`${name}: no allocation profile from pid ${pid}`);
    return null;
  }
  const kept = join(ctx.runDir, `allocations-${name}.heapprofile`);
  copyFileSync(written, kept);
  unlinkSync(written);
  return attributeAllocationFile(kept, events, ctx.allocProfile ?? 'allocated');
}

function profileDir(ctx: RunContext, name: string): string {
  return join(ctx.runDir, `profile-${name}`);
}

/** µs on the monotonic clock V8's profiler stamps its samples with. */
const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n);

/**
 * Throughput on the pre-produced stream: from the moment the variant's consumer is in its group
 * to the moment its group has committed the last offset of every input partition. CPU time is
 * the variant process's own over that window; peak RSS is its high-water mark (startup included).
 */
export async function measureThroughput(
  ctx: RunContext,
  id: VariantId,
  inputs: TopicNames,
  ends: Map<string, bigint>,
  events: number,
  expectedDecisions: ReadonlySet<string>,
  run = 1,
  phaseName = 'tput',
  reviewEffects?: (topic: string) => Promise<void>,
): Promise<ThroughputResult> {
  const phase = `${phaseName}${run}`;
  const own = topicsFor(ctx.runId, `${phase}-${id}`);
  const topics: TopicNames = {
    ...inputs,
    alerts: own.alerts,
    decisions: own.decisions,
    lists: own.lists,
    deadLetters: own.deadLetters,
    // Its own review effects topic, filled before the screener starts, which rebuilds from it.
    ...(reviewEffects ? { reviewEffects: own.reviewEffects } : {}),
  };
  if (reviewEffects) await reviewEffects(topics.reviewEffects);
  const options = await prepare(ctx, id, phase, topics, false);
  const loadAvg1mBefore = loadavg()[0];
  const proc = startVariant(id, options);
  const sampling = samplesAllocations(ctx, phase);
  let allocations: AllocationBreakdown | null = null;
  let t0: number;
  let t1: number;
  let cpu0: number;
  let cpu1: number;
  let rss: number;
  let window: { fromUs: number; toUs: number };
  try {
    t0 = await proc.waitForLine(READY_LINE, 120_000);
    if (sampling) process.kill(proc.pid, 'SIGUSR2');
    cpu0 = cpuSeconds(proc.pid) ?? 0;
    const fromUs = monotonicUs();
    t1 = await waitForDrain(ctx.admin, options.groupId, ends, 30 * 60_000, () => proc.deadReason());
    cpu1 = cpuSeconds(proc.pid) ?? cpu0;
    window = { fromUs, toUs: monotonicUs() };
    rss = peakRssMB(proc.pid) ?? 0;
    if (sampling) allocations = await collectAllocations(ctx, proc.pid, `${phase}-${id}`, events);
  } catch (error) {
    ctx.log(`${id}: log tail:\n${proc.tail()}`);
    throw error;
  } finally {
    await proc.stop();
  }
  const transactional = id === 'screener-eos';
  const alerts = await countMessages(ctx.kafka, ctx.admin, [topics.alerts], transactional);
  const deadLetters = await countMessages(
    ctx.kafka,
    ctx.admin,
    [topics.deadLetters],
    transactional,
  );
  const decisionKeys = new Map<string, number>();
  let suppressed = 0;
  const decisions = isBarePipe(id)
    ? null
    : await countMessages(ctx.kafka, ctx.admin, [topics.decisions], transactional, (key, value) => {
        const k = key?.toString('utf8') ?? '';
        decisionKeys.set(k, (decisionKeys.get(k) ?? 0) + 1);
        if (value?.includes('"suppressed":[{')) suppressed += 1;
      });
  const seconds = (t1 - t0) / 1000;
  const cpu = cpu1 - cpu0;
  return {
    events,
    seconds,
    eventsPerSec: events / seconds,
    cpuSeconds: cpu,
    cpuSecondsPer100k: (cpu / events) * 100_000,
    peakRssMB: rss,
    alerts,
    deadLetters,
    decisions,
    ...(isBarePipe(id) ? {} : { suppressed }),
    output: checkOutput(id, events, alerts, decisionKeys, expectedDecisions),
    loadAvg1mBefore,
    // The same window as the CPU figure: startup and the wait to be stopped are left out.
    stages: ctx.profile
      ? attributeProfileDir(profileDir(ctx, `${phase}-${id}`), { events, ...window })
      : null,
    ...(sampling ? { allocations } : {}),
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Debug aid: the samples bucketed by when their event was sent, a line per bucket. */
function latencyTimeline(
  samples: readonly number[],
  sentAt: readonly number[],
  origin: number,
  bucketMs: number,
): string[] {
  const buckets = new Map<number, number[]>();
  samples.forEach((latency, i) => {
    const b = Math.floor((sentAt[i] - origin) / bucketMs);
    const list = buckets.get(b) ?? [];
    list.push(latency);
    buckets.set(b, list);
  });
  return [...buckets.keys()]
    .sort((a, b) => a - b)
    .map((b) => {
      const sorted = (buckets.get(b) as number[]).sort((x, y) => x - y);
      const at = (p: number): number => Math.round(percentile(sorted, p));
      return `${((b * bucketMs) / 1000).toFixed(1)}s ${sorted.length} ${at(50)}/${at(99)}/${Math.round(sorted[sorted.length - 1])}`;
    });
}

/**
 * End-to-end latency at a fixed offered load: the stream is produced at `rate` events/s to
 * fresh topics while the variant runs; each output (read committed) is matched by eventId to
 * the moment its event was handed to the producer. Every event is sampled: the baseline's one
 * output per event, a screener's decision (what a withdrawal waits for; the alerts of a batch
 * go out in the same delivery). Sampling the alerts alone, as this did before 3 December 2026,
 * gave a screener's p99 over the 1-2 % of events that raise one: a few dozen samples a step, so
 * in effect their maximum, against the pipe's p99 over every event.
 */
export async function measureLatency(
  ctx: RunContext,
  id: VariantId,
  messages: readonly StreamMessage[],
  rate: number,
  warmupEvents: number,
  phase = 'lat',
): Promise<LatencyResult> {
  // Each step of the knee search has its own topics, group and Redis prefix (`phase`).
  const topics = topicsFor(ctx.runId, `${phase}-${id}`);
  const options = await prepare(ctx, id, phase, topics, true);
  const sentAt = new Map<string, number>();
  const samples: number[] = [];
  const sampledAt: number[] = [];
  let lastSampleAt = performance.now();
  const sampledTopic = isBarePipe(id) ? topics.alerts : topics.decisions;
  const collector = await startCollector(ctx.kafka, sampledTopic, (value, receivedAt) => {
    const match = /"eventId":"([^"]+)"/.exec(value.toString('utf8'));
    const sent = match ? sentAt.get(match[1]) : undefined;
    if (sent !== undefined) {
      samples.push(receivedAt - sent);
      sampledAt.push(sent);
      lastSampleAt = receivedAt;
    }
  });
  const producer = ctx.kafka.producer();
  await producer.connect();
  const proc = startVariant(id, options);
  try {
    await proc.waitForLine(READY_LINE, 120_000);
    const shares = new CpuShares({ variant: proc.pid, ...ctx.tenantPids });
    const started = performance.now();
    let sent = 0;
    while (sent < messages.length) {
      const now = performance.now();
      const due = Math.min(messages.length, Math.floor(((now - started) / 1000) * rate));
      if (due <= sent) {
        await sleep(1);
        continue;
      }
      // Fallen behind (the generator shares the CPUs), it catches up in requests bounded in
      // bytes, never one request over the broker's limit.
      const batch = messages.slice(sent, due);
      const handedAt = performance.now();
      batch.forEach((m, k) => {
        // The first events warm the variant up (JIT, connections, scripts): produced at the same
        // rate, not sampled.
        if (m.eventId !== undefined && sent + k >= warmupEvents) sentAt.set(m.eventId, handedAt);
      });
      await sendBounded(producer, topics, batch, inputCompression(ctx.compression));
      sent = due;
    }
    const lastSent = performance.now();
    const ends = await endOffsets(ctx.admin, inputTopics(topics));
    const drainedAt = await waitForDrain(
      ctx.admin,
      options.groupId,
      ends,
      Math.max(120_000, (messages.length / 100) * 1000),
      () => proc.deadReason(),
      20,
    );
    const cpu = shares.finish();
    // Alerts of the last batches may still be on their way to the collector.
    const settleUntil = performance.now() + 10_000;
    while (performance.now() - lastSampleAt < 1_000 && performance.now() < settleUntil) {
      await sleep(100);
    }
    if (process.env.BENCH_DEBUG_LATENCY === '1') {
      ctx.log(`latency ${id}, per half second of sending: events p50/p99/max ms`);
      for (const line of latencyTimeline(samples, sampledAt, started, 500)) ctx.log(`  ${line}`);
    }
    const sorted = [...samples].sort((a, b) => a - b);
    const drainAfterLastMs = Math.max(0, drainedAt - lastSent);
    return {
      offeredPerSec: rate,
      warmupEvents,
      achievedPerSec: messages.length / ((lastSent - started) / 1000),
      events: messages.length,
      samples: sorted.length,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      maxMs: sorted.length > 0 ? sorted[sorted.length - 1] : Number.NaN,
      drainAfterLastMs,
      keptUp: drainAfterLastMs < 1_000,
      cpu,
    };
  } catch (error) {
    ctx.log(`${id}: log tail:\n${proc.tail()}`);
    throw error;
  } finally {
    await proc.stop();
    await producer.disconnect();
    await collector.disconnect();
  }
}
