import { decidedEventIds, generateStream, type StreamMessage } from '../dataset/stream';
import type { MeasuredProcess } from '../child';
import {
  countMessages,
  endOffsets,
  groupProgress,
  inputTopics,
  preProduce,
  sendBounded,
  stableMembers,
  topicsFor,
  waitForDrain,
} from '../kafka-io';
import { checkDecisions, type DecisionCheck, prepare, type RunContext } from '../measure';
import { cpuSeconds, peakRssMB } from '../proc';
import { consumedTotals } from '../screener-log';
import { READY_LINE, startVariant, type StartOptions } from '../variants';

export interface ScaleOutOptions {
  events: number;
  /** Partitions of each input topic. */
  partitions: number;
  instances: number[];
  seed: number;
}

export interface InstanceShare {
  instance: number;
  /** Messages it consumed, from its last `throughput` log line. */
  events: number;
  /** Batches it screened (the same line): fewer events per batch, more round trips per event. */
  batches: number;
  share: number;
  cpuSeconds: number;
  cpuMsPerEvent: number;
  peakRssMB: number;
}

export interface ScaleOutRun {
  instances: number;
  events: number;
  seconds: number;
  eventsPerSec: number;
  /** All instances' CPU over the run, per 100,000 events. */
  cpuSecondsPer100k: number;
  shares: InstanceShare[];
  output: DecisionCheck;
}

export interface RebalanceResult {
  events: number;
  seconds: number;
  eventsPerSec: number;
  /** What happened when, in seconds from the start and share of the backlog committed. */
  steps: string[];
  shares: InstanceShare[];
  output: DecisionCheck;
}

export interface ScaleOutResult {
  partitions: number;
  runs: ScaleOutRun[];
  rebalance: RebalanceResult;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** The screener's shortest throughput-log interval: each instance's count is at most a second old. */
const LOG_EVERY_MS = 1_000;
const REBALANCE_SECONDS = 30;
const REBALANCE_MAX_EVENTS = 1_000_000;

async function decisionsOf(ctx: RunContext, topic: string): Promise<Map<string, number>> {
  const keys = new Map<string, number>();
  await countMessages(ctx.kafka, ctx.admin, [topic], false, (key) => {
    const k = key?.toString('utf8') ?? '';
    keys.set(k, (keys.get(k) ?? 0) + 1);
  });
  return keys;
}

async function startInstance(options: StartOptions, i: number): Promise<MeasuredProcess> {
  const proc = startVariant('screener', { ...options, logFile: `${options.logFile}.${i}` });
  await proc.waitForLine(READY_LINE, 120_000);
  return proc;
}

async function waitForMembers(ctx: RunContext, groupId: string, n: number): Promise<void> {
  const until = performance.now() + 120_000;
  while ((await stableMembers(ctx.admin, groupId)) !== n) {
    if (performance.now() > until) throw new Error(`${groupId}: never stable with ${n} members`);
    await sleep(200);
  }
}

function sharesOf(
  procs: MeasuredProcess[],
  cpu0: number[],
  cpu1: number[],
  rss: number[],
): InstanceShare[] {
  const totals = procs.map((p) => consumedTotals(p.log()));
  const counts = totals.map((t) => t.events);
  const total = counts.reduce((a, b) => a + b, 0);
  return procs.map((_, i) => {
    const cpu = cpu1[i] - cpu0[i];
    return {
      instance: i + 1,
      events: counts[i],
      batches: totals[i].batches,
      share: total === 0 ? 0 : counts[i] / total,
      cpuSeconds: cpu,
      cpuMsPerEvent: counts[i] === 0 ? 0 : (cpu * 1000) / counts[i],
      peakRssMB: rss[i],
    };
  });
}

/**
 * k screener instances in one group over a backlog on `partitions` partitions per input topic
 * (issue 12): all join first, then the backlog is produced; events/s from the first send to
 * the group's last commit, each instance's share and its CPU per event.
 */
async function measureInstances(
  ctx: RunContext,
  k: number,
  messages: readonly StreamMessage[],
  expected: ReadonlySet<string>,
): Promise<ScaleOutRun> {
  const topics = topicsFor(ctx.runId, `so${k}`);
  const options = await prepare(ctx, 'screener', `so${k}`, topics, true);
  options.extraEnv = { THROUGHPUT_LOG_INTERVAL_MS: String(LOG_EVERY_MS) };
  const procs: MeasuredProcess[] = [];
  const producer = ctx.kafka.producer();
  await producer.connect();
  try {
    for (let i = 0; i < k; i++) procs.push(await startInstance(options, i));
    await waitForMembers(ctx, options.groupId, k);
    const cpu0 = procs.map((p) => cpuSeconds(p.pid) ?? 0);
    const t0 = performance.now();
    await sendBounded(producer, topics, messages);
    const ends = await endOffsets(ctx.admin, inputTopics(topics));
    const t1 = await waitForDrain(
      ctx.admin,
      options.groupId,
      ends,
      30 * 60_000,
      () => procs.map((p) => p.deadReason()).find((r) => r !== null) ?? null,
    );
    const cpu1 = procs.map((p, i) => cpuSeconds(p.pid) ?? cpu0[i]);
    const rss = procs.map((p) => peakRssMB(p.pid) ?? 0);
    // One more throughput line from each instance, so that its total covers the whole backlog.
    await sleep(LOG_EVERY_MS * 2.5);
    const shares = sharesOf(procs, cpu0, cpu1, rss);
    const seconds = (t1 - t0) / 1000;
    const cpu = cpu1.reduce((a, b) => a + b, 0) - cpu0.reduce((a, b) => a + b, 0);
    for (const p of procs) await p.stop();
    const output = checkDecisions(await decisionsOf(ctx, topics.decisions), expected);
    return {
      instances: k,
      events: messages.length,
      seconds,
      eventsPerSec: messages.length / seconds,
      cpuSecondsPer100k: (cpu / messages.length) * 100_000,
      shares,
      output,
    };
  } catch (error) {
    for (const p of procs) ctx.log(`scale-out: ${p.name} log tail:\n${p.tail()}`);
    throw error;
  } finally {
    await Promise.all(procs.map((p) => p.stop().catch(() => undefined)));
    await producer.disconnect();
  }
}

/**
 * A rebalance under load: two instances in the group as the backlog arrives, a third starts at 15 %,
 * the first is stopped (SIGTERM) at half once the third has joined; every event must still
 * get a decision.
 */
async function measureRebalance(
  ctx: RunContext,
  messages: readonly StreamMessage[],
  expected: ReadonlySet<string>,
): Promise<RebalanceResult> {
  const topics = topicsFor(ctx.runId, 'so-rb');
  const options = await prepare(ctx, 'screener', 'so-rb', topics, true);
  options.extraEnv = { THROUGHPUT_LOG_INTERVAL_MS: String(LOG_EVERY_MS) };
  const total = messages.length;
  // Every partition of the inputs: the group's committed offsets summed over them.
  const partitionsOf = new Map<string, bigint>();
  for (const topic of inputTopics(topics)) {
    for (let p = 0; p < ctx.partitions; p++) partitionsOf.set(`${topic}:${p}`, 0n);
  }
  const procs: MeasuredProcess[] = [];
  const steps: string[] = [];
  const cpu0: number[] = [];
  const cpu1: number[] = [];
  const rss: number[] = [];
  const producer = ctx.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    procs.push(await startInstance(options, 0), await startInstance(options, 1));
    await waitForMembers(ctx, options.groupId, 2);
    const t0 = performance.now();
    cpu0.push(...procs.map((p) => cpuSeconds(p.pid) ?? 0));
    // The backlog arrives while the group works (the send runs beside the loop below).
    const produced: { ends: Map<string, bigint> | null } = { ends: null };
    const sent = preProduce(producer, topics, messages).then(async () => {
      produced.ends = await endOffsets(ctx.admin, inputTopics(topics));
    });
    sent.catch(() => undefined);
    const at = (done: number): string =>
      `${((performance.now() - t0) / 1000).toFixed(1)} s, ${((100 * done) / total).toFixed(0)} % committed`;
    steps.push(`${at(0)}: instances 1 and 2 in the group`);
    let phase = 0;
    let t1 = 0;
    for (;;) {
      const { committed, remaining } = await groupProgress(
        ctx.admin,
        options.groupId,
        produced.ends ?? partitionsOf,
      );
      const done = Number(committed);
      if (produced.ends !== null && remaining === 0n) {
        t1 = performance.now();
        steps.push(`${at(done)}: drained`);
        break;
      }
      if (phase === 0 && done >= total * 0.15) {
        phase = 1;
        steps.push(`${at(done)}: instance 3 starting`);
        const third = startVariant('screener', { ...options, logFile: `${options.logFile}.2` });
        procs.push(third);
        cpu0.push(cpuSeconds(third.pid) ?? 0);
      } else if (phase === 1 && done >= total * 0.5 && procs[2].log().includes(READY_LINE)) {
        phase = 2;
        steps.push(`${at(done)}: instance 1 stopped (SIGTERM)`);
        cpu1[0] = cpuSeconds(procs[0].pid) ?? cpu0[0];
        rss[0] = peakRssMB(procs[0].pid) ?? 0;
        await procs[0].stop();
        const left = await groupProgress(ctx.admin, options.groupId, partitionsOf);
        steps.push(`${at(Number(left.committed))}: instance 1 has left`);
      }
      const dead = procs
        .slice(phase === 2 ? 1 : 0)
        .map((p) => p.deadReason())
        .find((r) => r !== null);
      if (dead) throw new Error(`rebalance: ${dead}`);
      if (performance.now() - t0 > 30 * 60_000) throw new Error('rebalance: not drained in 30 min');
      await sleep(100);
    }
    procs.forEach((p, i) => {
      if (i === 0 && phase === 2) return;
      cpu1[i] = cpuSeconds(p.pid) ?? cpu0[i];
      rss[i] = peakRssMB(p.pid) ?? 0;
    });
    await sent;
    await sleep(LOG_EVERY_MS * 2.5);
    const shares = sharesOf(procs, cpu0, cpu1, rss);
    for (const p of procs) await p.stop();
    const output = checkDecisions(await decisionsOf(ctx, topics.decisions), expected);
    const seconds = (t1 - t0) / 1000;
    return {
      events: messages.length,
      seconds,
      eventsPerSec: messages.length / seconds,
      steps,
      shares,
      output,
    };
  } catch (error) {
    for (const p of procs) ctx.log(`rebalance: ${p.name} log tail:\n${p.tail()}`);
    throw error;
  } finally {
    await Promise.all(procs.map((p) => p.stop().catch(() => undefined)));
    await producer.disconnect();
  }
}

export async function measureScaleOut(
  ctx: RunContext,
  o: ScaleOutOptions,
  csv: string,
): Promise<ScaleOutResult> {
  const wide: RunContext = { ...ctx, partitions: o.partitions };
  const { messages } = generateStream(o.events, o.seed + 3_000, csv);
  const expected = decidedEventIds(messages);
  const runs: ScaleOutRun[] = [];
  for (const k of o.instances) {
    ctx.log(`scale-out: ${k} instance(s), ${o.events} events over ${o.partitions} partitions ...`);
    const run = await measureInstances(wide, k, messages, expected);
    ctx.log(
      `scale-out: ${k} instance(s): ${run.eventsPerSec.toFixed(0)} events/s, ` +
        `${run.cpuSecondsPer100k.toFixed(1)} CPU s/100k, shares ${run.shares.map((s) => (100 * s.share).toFixed(0)).join('/')} %; ${run.output.detail}`,
    );
    runs.push(run);
  }
  // Long enough for a third instance to start and join while two work (about 30 s at their rate).
  const two = runs.find((r) => r.instances === 2) ?? runs[runs.length - 1];
  const size = Math.min(
    REBALANCE_MAX_EVENTS,
    Math.max(o.events, Math.round((two?.eventsPerSec ?? 0) * REBALANCE_SECONDS)),
  );
  const backlog = size === o.events ? messages : generateStream(size, o.seed + 3_001, csv).messages;
  ctx.log(
    `scale-out: rebalance under load, ${size} events (2 instances, a 3rd joins, the 1st leaves) ...`,
  );
  const rebalance = await measureRebalance(wide, backlog, decidedEventIds(backlog));
  ctx.log(`scale-out: rebalance: ${rebalance.steps.join('; ')}; ${rebalance.output.detail}`);
  return { partitions: o.partitions, runs, rebalance };
}
