import type { ThroughputResult } from '../measure';
import type { VariantResult } from '../report';
import { type Spread, spread } from '../spread';
import type { ClearanceSeed, ReviewThroughputResult } from './reviews';

/** Issue 18, "Measured": the screener with and without clearances, and the review throughput. */
export interface ReviewsResult {
  clearances: {
    pct: number;
    eventsScreened: number;
    namedAccounts: number;
    clearedAccounts: number;
    clearances: number;
    effectRecords: number;
    /** The screener's runs without clearances (the plain "screener" variant) and with them. */
    without: ThroughputResult[];
    /** The runs without clearances: their ratio to the baseline (null without a baseline). */
    withoutRatio: Spread | null;
    withClearances: VariantResult;
    cost: SuppressionCost;
  } | null;
  throughput: ReviewThroughputResult | null;
}

export interface SuppressionCost {
  /** Per run pair (same run number): with ÷ without events/s. */
  ratio: Spread;
  /** 1 − the median of that ratio: the share of throughput suppression costs (negative: gains). */
  cost: number;
  /** The run-to-run noise: (max − min) ÷ median of the events/s of the runs without clearances. */
  noise: number;
  /** Whether the cost is within that noise (|cost| ≤ noise); null with a single run. */
  withinNoise: boolean | null;
}

/** The cost of suppression beside the run-to-run noise of the runs without clearances. */
export function suppressionCost(
  without: readonly number[],
  withC: readonly number[],
): SuppressionCost {
  const pairs = Math.min(without.length, withC.length);
  const ratio = spread(Array.from({ length: pairs }, (_, i) => withC[i] / without[i]));
  const plain = spread([...without]);
  const noise = (plain.max - plain.min) / plain.median;
  const cost = 1 - ratio.median;
  return { ratio, cost, noise, withinNoise: pairs < 2 ? null : Math.abs(cost) <= noise };
}

export function reviewsResult(
  runs: {
    seed: ClearanceSeed;
    without: ThroughputResult[];
    withoutRatio: Spread | null;
    withClearances: VariantResult;
  } | null,
  throughput: ReviewThroughputResult | null,
): ReviewsResult {
  if (runs === null) return { clearances: null, throughput };
  const { effects, ...seed } = runs.seed;
  return {
    clearances: {
      ...seed,
      effectRecords: effects.length,
      without: runs.without,
      withoutRatio: runs.withoutRatio,
      withClearances: runs.withClearances,
      cost: suppressionCost(
        runs.without.map((r) => r.eventsPerSec),
        (runs.withClearances.runs ?? []).map((r) => r.eventsPerSec),
      ),
    },
    throughput,
  };
}

/** What makes the phase no result: clearances that suppressed nothing, a review without a final. */
export function reviewsFailures(r: ReviewsResult): string[] {
  const out: string[] = [];
  const c = r.clearances;
  for (const run of c?.withClearances.runs ?? []) {
    if (!run.output.ok) out.push(`screener with clearances: ${run.output.detail}`);
    if (c && c.clearedAccounts > 0 && !run.suppressed) {
      out.push('screener with clearances: no decision lists a suppressed match');
    }
  }
  const t = r.throughput;
  if (t && !t.ok) {
    out.push(
      `review throughput: ${t.reviews} reviews, ${t.missing} events without a final decision, ` +
        `${t.unexpected} finals for other events, ${t.deadLetters} reviews dead-lettered`,
    );
  }
  return out;
}

const n0 = (v: number): string =>
  Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '–';
const n1 = (v: number): string => (Number.isFinite(v) ? v.toFixed(1) : '–');
const n3 = (v: number): string => (Number.isFinite(v) ? v.toFixed(3) : '–');
const pc = (v: number): string => (Number.isFinite(v) ? `${(v * 100).toFixed(1)} %` : '–');
const range = (s: Spread | null | undefined, f: (v: number) => string): string =>
  s ? `${f(s.median)} (${f(s.min)}–${f(s.max)})` : '–';

export function reviewsTable(r: ReviewsResult): string[] {
  const out = ['#### Reviews: the cost of suppression and review throughput (issue 18)', ''];
  const c = r.clearances;
  if (c) {
    const w = c.withClearances;
    const without = spread(c.without.map((x) => x.eventsPerSec));
    const suppressed = spread((w.runs ?? []).map((x) => x.suppressed ?? 0));
    out.push(
      `Clearances: ${c.clearedAccounts} of the ${c.namedAccounts} accounts with a NAME_MATCH alert ` +
        `(${c.pct} %; found by screening the stream's ${c.eventsScreened} exchange events under new eventIds) were cleared by a \`cleared\` review of one such alert on the ` +
        `reviews topic (${c.clearances} clearance records); each "with clearances" run rebuilt them into a fresh Redis ` +
        `prefix from a copy of the effects topic (${c.effectRecords} records) before its consumer joined.`,
      '',
      '| screener (at-least-once) | runs | events/s, median (min–max) | ratio to baseline, median (min–max) | CPU s per 100k events, median (min–max) | decisions with a suppressed match |',
      '|---|--:|--:|--:|--:|--:|',
      `| without clearances | ${c.without.length} | ${range(without, n0)} | ${range(c.withoutRatio, n3)} | ${range(spread(c.without.map((x) => x.cpuSecondsPer100k)), n1)} | ${range(spread(c.without.map((x) => x.suppressed ?? 0)), n0)} |`,
      `| with clearances | ${w.runs?.length ?? 0} | ${range(w.eventsPerSec, n0)} | ${range(w.ratio, n3)} | ${range(spread((w.runs ?? []).map((x) => x.cpuSecondsPer100k)), n1)} | ${range(suppressed, n0)} |`,
      '',
      `With ÷ without, run by run: ${range(c.cost.ratio, n3)}; the cost of suppression ${pc(c.cost.cost)} against a run-to-run ` +
        `spread of ${pc(c.cost.noise)} (max − min over the median of the runs without): ` +
        (c.cost.withinNoise === null
          ? 'one run, no noise to compare with.'
          : c.cost.withinNoise
            ? 'within the noise.'
            : 'NOT within the noise.'),
      '',
    );
  }
  const t = r.throughput;
  if (t) {
    out.push(
      '| reviews | held events reviewed (of held; copies) | seconds | reviews/s | hold-to-final p50 ms | p99 ms | screener CPU s | finals | missing | dead letters |',
      '|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
      `| ${n0(t.reviews)} | ${n0(t.events)} (${n0(t.heldEvents)}; ${n0(t.copies)}) | ${n1(t.seconds)} | ${n0(t.reviewsPerSec)} | ${n0(t.holdToFinalP50Ms)} | ${n0(t.holdToFinalP99Ms)} | ${n1(t.cpuSeconds)} | ${n0(t.finals)} | ${t.missing} | ${t.deadLetters} |`,
      '',
      'Review throughput: a screener screened the stream, then copies of its held events under new eventIds (the same ' +
        'alerts raised again) until there were alerts for the reviews asked for, then `cleared` reviews of every hold/review alert of its held ' +
        'events (whole events, so each gets its final decision) were produced in requests of about 500, each acknowledged ' +
        'by all in-sync replicas before the next; timed from the first review handed to the producer to the last final ' +
        'decision read (read_committed) from the decisions topic. Hold-to-final: from the moment the request holding an ' +
        "event's reviews was handed to the producer to its final decision, queueing behind the other reviews included." +
        (t.ok ? '' : ' CHECKS FAILED.'),
    );
  }
  return out;
}
