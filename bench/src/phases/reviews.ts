import type { Consumer, Producer } from 'kafkajs';
import type { StreamMessage } from '../dataset/stream';
import {
  countMessages,
  createTopics,
  endOffsets,
  inputTopics,
  sendBounded,
  startCollector,
  topicsFor,
  waitForDrain,
} from '../kafka-io';
import { type RunContext, prepare } from '../measure';
import { cpuSeconds } from '../proc';
import { READY_LINE, startVariant } from '../variants';
import {
  type AlertSummary,
  type EffectRecord,
  chooseClearances,
  clearedReview,
  renamedExchangeEvents,
  heldEventCopies,
  heldEventsToReview,
  nearestRank,
  summariseAlert,
} from './reviews-plan';

/** What the clearance pass did: the clearances every "with clearances" run starts with. */
export interface ClearanceSeed {
  pct: number;
  /** Exchange events screened, and the accounts among theirs with a NAME_MATCH alert. */
  eventsScreened: number;
  namedAccounts: number;
  /** Accounts a reviewer cleared (one `cleared` review each on the reviews topic). */
  clearedAccounts: number;
  /** Clearance records the screener wrote to the effects topic for those reviews. */
  clearances: number;
  /** Every record of the effects topic, copied into each run's own effects topic. */
  effects: EffectRecord[];
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function readTopic(
  ctx: RunContext,
  topic: string,
  each: (value: Buffer, key: Buffer | null) => void,
): Promise<number> {
  return countMessages(ctx.kafka, ctx.admin, [topic], false, (key, value) => {
    if (value) each(value, key);
  });
}

/** A running screener's group, its topics and what says it died (to stop waiting for it). */
interface Screening {
  ctx: RunContext;
  producer: Producer;
  topics: ReturnType<typeof topicsFor>;
  groupId: string;
  alive: () => string | null;
}

/**
 * Sends `messages` to the screener's input topics, waits until its group has committed them all,
 * and returns every alert on its alerts topic (those of earlier sends too).
 */
async function screenAndReadAlerts(
  { ctx, producer, topics, groupId, alive }: Screening,
  messages: readonly StreamMessage[],
  timeoutMs: number,
): Promise<AlertSummary[]> {
  await sendBounded(producer, topics, messages);
  const ends = await endOffsets(ctx.admin, inputTopics(topics));
  await waitForDrain(ctx.admin, groupId, ends, timeoutMs, alive);
  const alerts: AlertSummary[] = [];
  await readTopic(ctx, topics.alerts, (value) => {
    const a = summariseAlert(value);
    if (a) alerts.push(a);
  });
  return alerts;
}

/**
 * The clearances of the "with clearances" runs, made the way a user makes them: a screener
 * (at-least-once, its own topics and Redis prefix) screens the stream's exchange events (under
 * new eventIds), then `pct` % of the accounts with a NAME_MATCH alert get a `cleared` review of
 * one such alert on the reviews topic, which the screener applies as
 * any review (its clearances go to Redis and to the effects topic in the review's delivery).
 * The pass ends when the group has committed every review, that is once their effects are on
 * the topic. Each measured run then gets a copy of that topic, and its screener puts the
 * clearances back into its fresh Redis prefix at start (the rebuild after a Redis loss), before
 * its consumer joins the group: outside the timed window, the same state for every run.
 */
export async function seedClearances(
  ctx: RunContext,
  messages: readonly StreamMessage[],
  pct: number,
  seed: number,
): Promise<ClearanceSeed> {
  const topics = topicsFor(ctx.runId, 'clr-screener');
  const options = await prepare(ctx, 'screener', 'clr', topics, true);
  const events = renamedExchangeEvents(messages, 'clr-');
  const producer = ctx.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const proc = startVariant('screener', options);
  try {
    await proc.waitForLine(READY_LINE, 120_000);
    const alive = (): string | null => proc.deadReason();
    const screening = { ctx, producer, topics, groupId: options.groupId, alive };
    const alerts = await screenAndReadAlerts(screening, events, 10 * 60_000);
    const choice = chooseClearances(alerts, pct, seed);
    const reviewedAt = new Date().toISOString();
    if (choice.chosen.length > 0) {
      await producer.send({
        topic: topics.reviews,
        acks: -1,
        messages: choice.chosen.map((a, i) =>
          clearedReview(`bench-${ctx.runId}-clear-${i}`, a.alertId, reviewedAt),
        ),
      });
    }
    await waitForDrain(
      ctx.admin,
      options.groupId,
      await endOffsets(ctx.admin, [topics.reviews]),
      120_000,
      alive,
    );
    const effects: EffectRecord[] = [];
    let clearances = 0;
    await countMessages(ctx.kafka, ctx.admin, [topics.reviewEffects], false, (key, value, m) => {
      effects.push({ key, value, timestamp: m.timestamp, headers: m.headers });
      if (key?.toString('utf8').startsWith('clearance:')) clearances += 1;
    });
    return {
      pct,
      eventsScreened: events.length,
      namedAccounts: choice.namedAccounts,
      clearedAccounts: choice.chosen.length,
      clearances,
      effects,
    };
  } catch (error) {
    ctx.log(`clearances: log tail:\n${proc.tail()}`);
    throw error;
  } finally {
    await proc.stop();
    await producer.disconnect();
  }
}

/** A run's own effects topic, holding a copy of the clearance pass's records (none: empty). */
export async function ownEffectsTopic(
  ctx: RunContext,
  topic: string,
  records: readonly EffectRecord[],
): Promise<void> {
  await createTopics(ctx.admin, [topic], ctx.partitions);
  if (records.length === 0) return;
  const producer = ctx.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    // Keyed as before, so the copy has the same per-key order the rebuild relies on.
    await producer.send({ topic, acks: -1, messages: records.map((r) => ({ ...r })) });
  } finally {
    await producer.disconnect();
  }
}

export interface ReviewThroughputResult {
  /** Held events reviewed (every one of their hold/review alerts) and the reviews that took. */
  events: number;
  reviews: number;
  /** Held events the screened stream offered (events with an alert no review clears left out). */
  heldEvents: number;
  /** Copies of the stream's held events screened under new eventIds to reach the reviews asked for. */
  copies: number;
  /** From handing the first review to the producer to the last final decision seen. */
  seconds: number;
  reviewsPerSec: number;
  /** From the moment an event's reviews were handed to the producer to its final decision. */
  holdToFinalP50Ms: number;
  holdToFinalP99Ms: number;
  /** Screener CPU over the same window. */
  cpuSeconds: number;
  finals: number;
  /** Reviewed events with no final decision when the wait ended, and finals for other events. */
  missing: number;
  unexpected: number;
  repeatedFinals: number;
  deadLetters: number;
  ok: boolean;
}

/**
 * Review throughput: a screener (at-least-once, its own topics and Redis prefix) screens the
 * stream to its end, then up to `max` `cleared` reviews of its held
 * alerts go to the reviews topic as fast as the producer takes them (whole events, so each gets
 * its final decision), timed from the first handed to the producer to the last final decision
 * seen on the decisions topic.
 */
export async function measureReviewThroughput(
  ctx: RunContext,
  messages: readonly StreamMessage[],
  max: number,
): Promise<ReviewThroughputResult> {
  // Its own topics, inputs too: the copies of held events below go to none of the stream's.
  const topics = topicsFor(ctx.runId, 'rvw-screener');
  const options = await prepare(ctx, 'screener', 'rvw', topics, true);
  const finals = new Map<string, number>();
  let repeatedFinals = 0;
  let lastFinalAt = 0;
  let collector: Consumer | null = null;
  let producer: Producer | null = null;
  const proc = startVariant('screener', options);
  try {
    collector = await startCollector(ctx.kafka, topics.decisions, (value, receivedAt) => {
      const text = value.toString('utf8');
      if (!text.includes('"final":true')) return;
      const eventId = /"eventId":"([^"]+)"/.exec(text)?.[1];
      if (eventId === undefined) return;
      if (finals.has(eventId)) repeatedFinals += 1;
      else finals.set(eventId, receivedAt);
      lastFinalAt = receivedAt;
    });
    producer = ctx.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await proc.waitForLine(READY_LINE, 120_000);
    const alive = (): string | null => proc.deadReason();
    const screening = { ctx, producer, topics, groupId: options.groupId, alive };
    let alerts = await screenAndReadAlerts(screening, messages, 30 * 60_000);
    // A small stream holds few events (about 1 in 250): its held events are screened again under
    // new eventIds (the same alerts, raised again) until there are alerts for `max` reviews.
    const copies = heldEventCopies(
      messages,
      heldEventsToReview(alerts, Number.MAX_SAFE_INTEGER),
      max,
    );
    if (copies.length > 0) alerts = await screenAndReadAlerts(screening, copies, 10 * 60_000);
    // The stream's own poison messages are dead-lettered too: only the reviews' are counted.
    const streamDeadLetters = await countMessages(
      ctx.kafka,
      ctx.admin,
      [topics.deadLetters],
      false,
    );
    const heldEvents = heldEventsToReview(alerts, Number.MAX_SAFE_INTEGER).size;
    const chosen = heldEventsToReview(alerts, max);
    const reviewedAt = new Date().toISOString();
    const sentAt = new Map<string, number>();
    let reviews = 0;
    const cpu0 = cpuSeconds(proc.pid) ?? 0;
    const started = performance.now();
    // Requests of about 500 reviews (~150 KB), each acknowledged before the next.
    let chunk: Array<{ key: string; value: Buffer }> = [];
    let chunkEvents: string[] = [];
    const flush = async (): Promise<void> => {
      const handedAt = performance.now();
      for (const e of chunkEvents) sentAt.set(e, handedAt);
      await producer?.send({ topic: topics.reviews, acks: -1, messages: chunk });
      chunk = [];
      chunkEvents = [];
    };
    for (const [eventId, alertIds] of chosen) {
      for (const alertId of alertIds) {
        chunk.push(clearedReview(`bench-${ctx.runId}-rvw-${reviews}`, alertId, reviewedAt));
        reviews += 1;
      }
      chunkEvents.push(eventId);
      if (chunk.length >= 500) await flush();
    }
    if (chunk.length > 0) await flush();
    const until = performance.now() + Math.max(120_000, reviews * 20);
    while ([...chosen.keys()].some((e) => !finals.has(e)) && performance.now() < until) {
      const dead = alive();
      if (dead !== null) throw new Error(`review throughput: ${dead}`);
      await sleep(50);
    }
    const cpu1 = cpuSeconds(proc.pid) ?? cpu0;
    // The screener's last commits, so that dead letters of the reviews are counted too.
    await waitForDrain(
      ctx.admin,
      options.groupId,
      await endOffsets(ctx.admin, [topics.reviews]),
      60_000,
      alive,
    ).catch(() => undefined);
    const holdToFinal: number[] = [];
    let missing = 0;
    for (const eventId of chosen.keys()) {
      const at = finals.get(eventId);
      const sent = sentAt.get(eventId);
      if (at === undefined || sent === undefined) missing += 1;
      else holdToFinal.push(at - sent);
    }
    holdToFinal.sort((a, b) => a - b);
    const unexpected = [...finals.keys()].filter((e) => !chosen.has(e)).length;
    const seconds = (lastFinalAt - started) / 1000;
    const deadLetters =
      (await countMessages(ctx.kafka, ctx.admin, [topics.deadLetters], false)) - streamDeadLetters;
    return {
      events: chosen.size,
      reviews,
      heldEvents,
      copies: copies.length,
      seconds,
      reviewsPerSec: reviews / seconds,
      holdToFinalP50Ms: nearestRank(holdToFinal, 50),
      holdToFinalP99Ms: nearestRank(holdToFinal, 99),
      cpuSeconds: cpu1 - cpu0,
      finals: finals.size,
      missing,
      unexpected,
      repeatedFinals,
      deadLetters,
      ok: missing === 0 && unexpected === 0 && deadLetters === 0 && reviews > 0,
    };
  } catch (error) {
    ctx.log(`review throughput: log tail:\n${proc.tail()}`);
    throw error;
  } finally {
    await proc.stop();
    await producer?.disconnect();
    await collector?.disconnect();
  }
}
