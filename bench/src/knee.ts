import type { LatencyResult } from './measure';

/** The p99 end-to-end latency a rate must stay within to be under the knee. */
export const KNEE_P99_MS = 50;

export interface KneeStep {
  offeredPerSec: number;
  p50Ms: number;
  p99Ms: number;
  samples: number;
  keptUp: boolean;
  pass: boolean;
}

export interface KneeResult {
  maxP99Ms: number;
  /** The highest offered rate that passed; null when even the lowest tried did not. */
  kneePerSec: number | null;
  /** The lowest offered rate that failed; null when every step passed (the knee is higher). */
  failedAtPerSec: number | null;
  steps: KneeStep[];
  stoppedBy: 'precision' | 'steps' | 'time' | 'floor';
  /** The measurement at the knee (or the last step when none passed), for the latency table. */
  atKnee: LatencyResult | null;
}

export interface KneeOptions {
  startPerSec: number;
  maxSteps: number;
  budgetMs: number;
  /** Stop once the failing rate is within this fraction above the passing one. */
  precision: number;
  /** No step below this rate. */
  floorPerSec: number;
}

export const passes = (l: LatencyResult): boolean =>
  l.samples > 0 && l.keptUp && l.p99Ms <= KNEE_P99_MS;

/**
 * The highest offered rate whose p99 stays within 50 ms: doubling from the start rate until a
 * step fails (halving while it fails), then bisecting between the last pass and the first
 * failure. Bounded in steps and time, it stops by itself and says why.
 */
export async function searchKnee(
  measure: (ratePerSec: number) => Promise<LatencyResult>,
  o: KneeOptions,
  now: () => number = () => performance.now(),
): Promise<KneeResult> {
  const started = now();
  const steps: KneeStep[] = [];
  let lo: { rate: number; result: LatencyResult } | null = null;
  let hi: number | null = null;
  let last: LatencyResult | null = null;
  let rate = Math.max(o.floorPerSec, Math.round(o.startPerSec));
  let stoppedBy: KneeResult['stoppedBy'] = 'steps';
  while (steps.length < o.maxSteps) {
    if (steps.length > 0 && now() - started > o.budgetMs) {
      stoppedBy = 'time';
      break;
    }
    const result = await measure(rate);
    last = result;
    const pass = passes(result);
    steps.push({
      offeredPerSec: rate,
      p50Ms: result.p50Ms,
      p99Ms: result.p99Ms,
      samples: result.samples,
      keptUp: result.keptUp,
      pass,
    });
    if (pass) lo = { rate, result };
    else hi = hi === null ? rate : Math.min(hi, rate);
    if (lo !== null && hi !== null && hi - lo.rate <= lo.rate * o.precision) {
      stoppedBy = 'precision';
      break;
    }
    let next: number;
    if (hi === null) next = rate * 2;
    else if (lo === null) next = Math.round(hi / 2);
    else next = Math.round((lo.rate + hi) / 2);
    if (next < o.floorPerSec) {
      stoppedBy = 'floor';
      break;
    }
    rate = next;
  }
  return {
    maxP99Ms: KNEE_P99_MS,
    kneePerSec: lo?.rate ?? null,
    failedAtPerSec: hi,
    steps,
    stoppedBy,
    atKnee: lo?.result ?? last,
  };
}
