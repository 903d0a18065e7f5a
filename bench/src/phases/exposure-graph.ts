import type { Redis } from 'ioredis';
import { RuleId } from '@sekimori/contracts';
import { sanctionedSpellings } from '../dataset/addresses';
import { type GraphSummary, weaveExposureGraph } from '../dataset/exposure-graph';
import { decidedEventIds, generateStream } from '../dataset/stream';
import {
  countMessages,
  createTopics,
  endOffsets,
  inputTopics,
  preProduce,
  topicsFor,
} from '../kafka-io';
import { measureThroughput, type RunContext, type ThroughputResult } from '../measure';

export interface ExposureGraphOptions {
  events: number;
  sources: number;
  fanOut: number;
  depth: number;
  runs: number;
  seed: number;
}

/** Keys and bytes (MEMORY USAGE) of one kind of state under a prefix. */
export interface StateSize {
  keys: number;
  bytes: number;
  bytesPerKey: number;
}

export interface ExposureGraphResult {
  events: number;
  graph: GraphSummary;
  maxHops: number;
  runs: Array<{
    baseline: ThroughputResult;
    screener: ThroughputResult;
    /** The screener on the same stream before the graph was woven in. */
    plain: ThroughputResult;
    ratio: number;
  }>;
  /** Median over the runs of each run's screener ÷ baseline events/s. */
  ratio: number;
  /** The same for the screener on the stream without the graph. */
  plainRatio: number;
  screenerEventsPerSec: number;
  plainEventsPerSec: number;
  baselineEventsPerSec: number;
  /** After the last screener run: per address or account with exposure paths, and per account's routing log. */
  exposure: StateSize;
  routing: StateSize & { accounts: number; bytesPerAccount: number };
  /** On the graph's own events, in the last screener run. */
  raised: { indirect: number; indirectExchange: number; routing: number; sanctions: number };
  /** Over the whole stream (ordinary transfers to listed addresses expose their recipients too). */
  raisedInStream: { indirect: number; routing: number };
}

const MAX_HOPS = 3; // EXPOSURE_MAX_HOPS default; the screener runs with its defaults.

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function stateSize(redis: Redis, pattern: string): Promise<StateSize> {
  let cursor = '0';
  let keys = 0;
  let bytes = 0;
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    for (const key of found) {
      // SAMPLES 0: every field counted, not an estimate from five.
      bytes += Number((await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')) ?? 0);
      keys += 1;
    }
    cursor = next;
  } while (cursor !== '0');
  return { keys, bytes, bytesPerKey: keys === 0 ? 0 : bytes / keys };
}

/**
 * Throughput with an exposure graph mixed into the stream (issue 11): baseline and screener on
 * the same pre-produced topics, alternating for `runs`, and the exposure and routing state the
 * screener left in Redis.
 */
export async function measureExposureGraph(
  ctx: RunContext,
  o: ExposureGraphOptions,
  csv: string,
): Promise<ExposureGraphResult> {
  const stream = generateStream(o.events, o.seed + 2_000, csv);
  const plain = [...stream.messages];
  const { summary: graph, eventIds } = weaveExposureGraph(
    stream.messages,
    sanctionedSpellings(csv),
    { sources: o.sources, fanOut: o.fanOut, depth: o.depth, maxHops: MAX_HOPS },
    o.seed,
  );
  ctx.log(
    `exposure graph: ${graph.events} graph events (${graph.onchainHops} hops, ${graph.deposits} deposits, ` +
      `${graph.withdrawals} withdrawals, ${graph.dustHops} dust) in ${o.events} events`,
  );
  const inputs = topicsFor(ctx.runId, 'xg-in');
  const plainInputs = topicsFor(ctx.runId, 'xg-plain-in');
  await createTopics(
    ctx.admin,
    [...inputTopics(inputs), ...inputTopics(plainInputs)],
    ctx.partitions,
  );
  const producer = ctx.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    await preProduce(producer, inputs, stream.messages);
    await preProduce(producer, plainInputs, plain);
  } finally {
    await producer.disconnect();
  }
  const ends = await endOffsets(ctx.admin, inputTopics(inputs));
  const plainEnds = await endOffsets(ctx.admin, inputTopics(plainInputs));
  const expected = decidedEventIds(stream.messages);
  const plainExpected = decidedEventIds(plain);
  const runs: ExposureGraphResult['runs'] = [];
  for (let run = 1; run <= o.runs; run++) {
    const baseline = await measureThroughput(
      ctx,
      'baseline',
      inputs,
      ends,
      stream.messages.length,
      expected,
      run,
      'xg',
    );
    const screener = await measureThroughput(
      ctx,
      'screener',
      inputs,
      ends,
      stream.messages.length,
      expected,
      run,
      'xg',
    );
    const without = await measureThroughput(
      ctx,
      'screener',
      plainInputs,
      plainEnds,
      plain.length,
      plainExpected,
      run,
      'xgp',
    );
    const ratio = screener.eventsPerSec / baseline.eventsPerSec;
    ctx.log(
      `exposure graph run ${run}: baseline ${baseline.eventsPerSec.toFixed(0)} events/s, screener ` +
        `${screener.eventsPerSec.toFixed(0)} events/s (${ratio.toFixed(2)} × baseline), without the graph ` +
        `${without.eventsPerSec.toFixed(0)} events/s; ${screener.output.detail}`,
    );
    runs.push({ baseline, screener, plain: without, ratio });
  }
  const last = `bench-${ctx.runId}-xg${o.runs}-screener`;
  const exposure = await stateSize(ctx.redis, `{${last}:exposure}:p:v2:*`);
  const routingAll = await stateSize(ctx.redis, `{${last}:routing}:*`);
  const accounts = (await stateSize(ctx.redis, `{${last}:routing}:e:v1:*`)).keys;

  const raised = { indirect: 0, indirectExchange: 0, routing: 0, sanctions: 0 };
  const raisedInStream = { indirect: 0, routing: 0 };
  const alerts = topicsFor(ctx.runId, `xg${o.runs}-screener`).alerts;
  await countMessages(ctx.kafka, ctx.admin, [alerts], false, (_key, value) => {
    const a = JSON.parse(value?.toString('utf8') ?? '{}') as { ruleId?: string; eventId?: string };
    const kind = eventIds.get(a.eventId ?? '');
    const ours = kind !== undefined;
    if (a.ruleId === RuleId.INDIRECT_EXPOSURE) {
      raisedInStream.indirect += 1;
      if (ours) raised.indirect += 1;
      if (kind === 'exchange') raised.indirectExchange += 1;
    } else if (a.ruleId === RuleId.THIRD_COUNTRY_ROUTING) {
      raisedInStream.routing += 1;
      if (ours) raised.routing += 1;
    } else if (a.ruleId === RuleId.SANCTIONS_ADDRESS_MATCH && ours) {
      raised.sanctions += 1;
    }
  });
  return {
    events: stream.messages.length,
    graph,
    maxHops: MAX_HOPS,
    runs,
    ratio: median(runs.map((r) => r.ratio)),
    plainRatio: median(runs.map((r) => r.plain.eventsPerSec / r.baseline.eventsPerSec)),
    screenerEventsPerSec: median(runs.map((r) => r.screener.eventsPerSec)),
    plainEventsPerSec: median(runs.map((r) => r.plain.eventsPerSec)),
    baselineEventsPerSec: median(runs.map((r) => r.baseline.eventsPerSec)),
    exposure,
    routing: {
      ...routingAll,
      accounts,
      bytesPerAccount: accounts === 0 ? 0 : routingAll.bytes / accounts,
    },
    raised,
    raisedInStream,
  };
}
