import type { Producer } from 'kafkajs';
import { parseOfacSdnAdvanced } from '@sekimori/list-sources';
import { SanctionsListStore } from '@sekimori/list-store';
import { addListings } from '../dataset/listings';
import { BASE_TIME, decidedEventIds, generateStream } from '../dataset/stream';
import {
  commitToEnd,
  countMessages,
  endOffsets,
  groupProgress,
  inputTopics,
  sendBounded,
  topicsFor,
  waitForDrain,
} from '../kafka-io';
import { checkDecisions, type DecisionCheck, prepare, type RunContext } from '../measure';
import { cpuSeconds, peakRssMB, rssMB } from '../proc';
import { logLines } from '../screener-log';
import { READY_LINE, startVariant } from '../variants';

export interface RetroOptions {
  /** Past transfers on the input topics when the list update comes. */
  events: number;
  /** Addresses the new version adds; as many past transfers touch one each. */
  added: number;
  /** Live events per batch produced beside the re-screen (topped up while it runs). */
  live: number;
  seed: number;
}

export interface LiveRate {
  events: number;
  seconds: number;
  eventsPerSec: number;
}

export interface RetroResult {
  pastEvents: number;
  /** Messages of the two transfer topics in the job's range: what the re-screen must scan. */
  toScan: number;
  added: number;
  /** From the screener's 're-screen started' to its 're-screen finished' line. */
  seconds: number;
  scanned: number;
  matched: number;
  eventsPerSec: number;
  /** The screener's high-water mark (start-up, live stream and re-screen together). */
  peakRssMB: number;
  /** The largest resident set sampled between the two lines. */
  peakRssDuringMB: number;
  /** Screener CPU seconds over the re-screen (live stream included). */
  cpuSeconds: number;
  /** Live events the live group committed from the first live send to the re-screen's end. */
  liveDuring: LiveRate;
  /** The fewest live events waiting while the re-screen ran (0: the live stream ran dry). */
  liveBacklogMin: number;
  /** As many batches of live events (at most 10) once the re-screen was over, first send to last commit. */
  liveAfter: LiveRate;
  /** Retroactive alerts and decisions against the transfers that touch a new listing. */
  retroAlerts: { events: number; alerts: number; missing: number; extra: number; repeats: number };
  retroDecisions: { events: number; decisions: number; missing: number; extra: number };
  /** Decisions of the live events (not retroactive). */
  live: DecisionCheck;
  ok: boolean;
  checkIntervalMs: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const CHUNK = 100_000;
/** How often the screener looks for a new list version and for the end of a re-screen's range. */
const CHECK_INTERVAL_MS = 1_000;
const DAY_MS = 86_400_000;
const AFTER_BATCHES = 10;

/** Produces `count` past transfers in chunks (a million messages would not fit the harness). */
async function producePast(
  producer: Producer,
  ctx: RunContext,
  topics: ReturnType<typeof topicsFor>,
  o: RetroOptions,
  csv: string,
): Promise<{ touching: Set<string>; entries: ReturnType<typeof addListings>['entries'] }> {
  const touching = new Set<string>();
  const entries: ReturnType<typeof addListings>['entries'] = [];
  const chunks = Math.ceil(o.events / CHUNK);
  for (let c = 0; c < chunks; c++) {
    const size = Math.min(CHUNK, o.events - c * CHUNK);
    // Seeds apart from the main stream's: eventIds (`oc-<seed>-<i>`) never meet.
    const stream = generateStream(size, o.seed + 1_000 + c, csv);
    const share = Math.round((o.added * (c + 1)) / chunks) - Math.round((o.added * c) / chunks);
    const made = addListings(stream.messages, share, o.seed + c);
    for (const id of made.touching) touching.add(id);
    for (const e of made.entries) entries.push({ ...e, entityId: `bench-${entries.length}` });
    await sendBounded(producer, topics, stream.messages);
    ctx.log(`re-screen: produced ${c * CHUNK + size} of ${o.events} past transfers`);
  }
  return { touching, entries };
}

/**
 * The re-screen after a list update (issue 10): N past transfers are on the input topics, the
 * live group has committed them (see docs/performance.md for why the live pass is skipped), a
 * version adding a few hundred addresses is published, and the screener re-screens while live
 * events keep arriving; as many live events are then screened with no re-screen running.
 */
export async function measureRetro(
  ctx: RunContext,
  o: RetroOptions,
  files: { csv: string; xml: string },
): Promise<RetroResult> {
  const topics = topicsFor(ctx.runId, 'retro');
  const options = await prepare(ctx, 'screener', 'retro', topics, true);
  options.extraEnv = {
    RETRO_CHECK_INTERVAL_MS: String(CHECK_INTERVAL_MS),
    // The generated transfers happen in March 2026: keep them inside the lookback for years.
    RETRO_LOOKBACK_DAYS: String(Math.ceil((Date.now() - BASE_TIME) / DAY_MS) + 30),
  };
  const inputs = inputTopics(topics);

  // 1. A first start on empty topics records the current version's (empty) re-screen, as a
  // screener that has been running would have: the update below is then the only job.
  let proc = startVariant('screener', { ...options, logFile: `${options.logFile}.first` });
  try {
    await proc.waitForLine(READY_LINE, 120_000);
    await proc.waitForLine('"msg":"re-screen finished"', 120_000);
  } catch (error) {
    ctx.log(`re-screen: first start log tail:\n${proc.tail()}`);
    throw error;
  } finally {
    await proc.stop();
  }

  // 2. The past, as screened: on the topics, committed by the live group.
  const producer = ctx.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  let past: Awaited<ReturnType<typeof producePast>>;
  try {
    past = await producePast(producer, ctx, topics, o, files.csv);
  } finally {
    await producer.disconnect();
  }
  await commitToEnd(ctx.admin, options.groupId, inputs);
  const pastEnds = await endOffsets(ctx.admin, inputs);
  let toScan = 0;
  for (const [key, end] of pastEnds) if (!key.startsWith(`${topics.rates}:`)) toScan += Number(end);

  // 3. The update: the list as loaded plus the new designations, published as the loader would.
  ctx.log(`re-screen: publishing a version that adds ${past.entries.length} addresses ...`);
  const list = await parseOfacSdnAdvanced(files.xml);
  const store = new SanctionsListStore(ctx.redis, options.redisPrefix);
  const published = await store.publish({ ...list, entries: [...list.entries, ...past.entries] });
  ctx.log(
    `re-screen: version ${published.version} (after ${published.previousVersion}) adds ${published.added.addresses} addresses`,
  );

  // 4. The re-screen, with a live stream beside it: batches of live events, topped up so that
  // the live group always has work until the re-screen is over.
  const expectedLive = new Set<string>();
  let batches = 0;
  const liveProducer = ctx.kafka.producer();
  const produceLive = async (): Promise<number> => {
    const { messages } = generateStream(o.live, o.seed + 500 + batches++, files.csv);
    for (const id of decidedEventIds(messages)) expectedLive.add(id);
    await sendBounded(liveProducer, topics, messages);
    return messages.length;
  };
  await liveProducer.connect();
  proc = startVariant('screener', options);
  try {
    await proc.waitForLine(READY_LINE, 120_000);
    await proc.waitForLine('"msg":"re-screen started"', 120_000);
    const cpu0 = cpuSeconds(proc.pid) ?? 0;
    const pastTotal = [...pastEnds.values()].reduce((a, b) => a + b, 0n);
    const everyPartition = new Map([...pastEnds.keys()].map((k) => [k, 0n]));
    const liveDone = async (): Promise<number> =>
      Number(
        (await groupProgress(ctx.admin, options.groupId, everyPartition)).committed - pastTotal,
      );
    const liveStart = performance.now();
    let produced = await produceLive();
    let lowestBacklog = Number.POSITIVE_INFINITY;
    let retroDoneAt: number;
    let liveAtRetroDone: number;
    let rssDuring = 0;
    for (;;) {
      const now = performance.now();
      rssDuring = Math.max(rssDuring, rssMB(proc.pid) ?? 0);
      const live = await liveDone();
      if (proc.log().includes('"msg":"re-screen finished"')) {
        retroDoneAt = now;
        liveAtRetroDone = live;
        break;
      }
      lowestBacklog = Math.min(lowestBacklog, produced - live);
      if (produced - live < o.live / 2) produced += await produceLive();
      const dead = proc.deadReason();
      if (dead !== null) throw new Error(`re-screen: ${dead}`);
      if (now - liveStart > 60 * 60_000) throw new Error('re-screen: not done within an hour');
      await sleep(200);
    }
    const cpu = (cpuSeconds(proc.pid) ?? cpu0) - cpu0;
    const peak = peakRssMB(proc.pid) ?? 0;
    const liveDuring = rate(liveAtRetroDone, (retroDoneAt - liveStart) / 1000);
    const rest = await endOffsets(ctx.admin, inputs);
    await waitForDrain(ctx.admin, options.groupId, rest, 30 * 60_000, () => proc.deadReason());

    // 5. The live stream alone: as many batches again (at most AFTER_BATCHES; a rate, not a total).
    const during = Math.min(batches, AFTER_BATCHES);
    const afterStart = performance.now();
    let afterEvents = 0;
    for (let i = 0; i < during; i++) afterEvents += await produceLive();
    const afterEnds = await endOffsets(ctx.admin, inputs);
    const afterDone = await waitForDrain(ctx.admin, options.groupId, afterEnds, 30 * 60_000, () =>
      proc.deadReason(),
    );
    const liveAfter = rate(afterEvents, (afterDone - afterStart) / 1000);

    const started = logLines(proc.log(), 're-screen started').find(
      (l) => l.fields.version === published.version,
    );
    const finished = logLines(proc.log(), 're-screen finished').find(
      (l) => l.fields.version === published.version,
    );
    if (!started || !finished)
      throw new Error('re-screen: no started/finished line for the version');
    const seconds = (finished.time - started.time) / 1000;
    const scanned = Number(finished.fields.scanned ?? 0);
    const matched = Number(finished.fields.matched ?? 0);
    await proc.stop();

    const outputs = await readOutputs(ctx, topics);
    const retroAlerts = compare(outputs.retroAlerts, past.touching);
    const retroDecisions = compare(outputs.retroDecisions, past.touching);
    const live = checkDecisions(outputs.liveDecisions, expectedLive);
    const ok =
      scanned === toScan &&
      matched === past.touching.size &&
      retroAlerts.missing + retroAlerts.extra + retroAlerts.repeats === 0 &&
      retroDecisions.missing + retroDecisions.extra === 0 &&
      live.ok;
    return {
      pastEvents: o.events,
      toScan,
      added: published.added.addresses,
      seconds,
      scanned,
      matched,
      eventsPerSec: scanned / seconds,
      peakRssMB: peak,
      peakRssDuringMB: rssDuring,
      cpuSeconds: cpu,
      liveDuring,
      liveBacklogMin: lowestBacklog,
      liveAfter,
      retroAlerts,
      retroDecisions: {
        events: retroDecisions.events,
        decisions: retroDecisions.alerts,
        missing: retroDecisions.missing,
        extra: retroDecisions.extra,
      },
      live,
      ok,
      checkIntervalMs: CHECK_INTERVAL_MS,
    };
  } catch (error) {
    ctx.log(`re-screen: log tail:\n${proc.tail()}`);
    throw error;
  } finally {
    await proc.stop();
    await liveProducer.disconnect();
  }
}

function rate(events: number, seconds: number): LiveRate {
  return { events, seconds, eventsPerSec: events / seconds };
}

/** Per eventId: retroactive alerts, retroactive decisions, and the other (live) decisions. */
async function readOutputs(
  ctx: RunContext,
  topics: ReturnType<typeof topicsFor>,
): Promise<{
  retroAlerts: Map<string, number>;
  retroDecisions: Map<string, number>;
  liveDecisions: Map<string, number>;
}> {
  const retroAlerts = new Map<string, number>();
  const retroDecisions = new Map<string, number>();
  const liveDecisions = new Map<string, number>();
  const bump = (m: Map<string, number>, k: string): void => void m.set(k, (m.get(k) ?? 0) + 1);
  await countMessages(ctx.kafka, ctx.admin, [topics.alerts], false, (_key, value) => {
    const alert = JSON.parse(value?.toString('utf8') ?? '{}') as {
      eventId?: string;
      retroactive?: boolean;
    };
    if (alert.retroactive === true && alert.eventId) bump(retroAlerts, alert.eventId);
  });
  await countMessages(ctx.kafka, ctx.admin, [topics.decisions], false, (key, value) => {
    const decision = JSON.parse(value?.toString('utf8') ?? '{}') as { retroactive?: boolean };
    bump(decision.retroactive === true ? retroDecisions : liveDecisions, key?.toString() ?? '');
  });
  return { retroAlerts, retroDecisions, liveDecisions };
}

function compare(
  got: ReadonlyMap<string, number>,
  expected: ReadonlySet<string>,
): { events: number; alerts: number; missing: number; extra: number; repeats: number } {
  let missing = 0;
  let extra = 0;
  let repeats = 0;
  let alerts = 0;
  for (const id of expected) if (!got.has(id)) missing += 1;
  for (const [id, n] of got) {
    alerts += n;
    if (!expected.has(id)) extra += 1;
    if (n > 1) repeats += n - 1;
  }
  return { events: got.size, alerts, missing, extra, repeats };
}
