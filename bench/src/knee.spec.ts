import type { LatencyResult } from './measure';
import { searchKnee } from './knee';

// A variant whose p99 crosses 50 ms at `knee` events/s; every call is one step.
function variant(knee: number): {
  measure: (r: number) => Promise<LatencyResult>;
  rates: number[];
} {
  const rates: number[] = [];
  return {
    rates,
    measure: (rate) => {
      rates.push(rate);
      const p99Ms = rate <= knee ? 20 : 400;
      return Promise.resolve({
        samples: 100,
        keptUp: rate <= knee * 1.2,
        p50Ms: 5,
        p99Ms,
      } as LatencyResult);
    },
  };
}

const options = {
  startPerSec: 1_000,
  maxSteps: 12,
  budgetMs: 60_000,
  precision: 0.1,
  floorPerSec: 50,
};

describe('searchKnee', () => {
  it('doubles until a step fails, then bisects to within the precision', async () => {
    const v = variant(5_000);
    const k = await searchKnee(v.measure, options);
    expect(v.rates.slice(0, 4)).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(k.stoppedBy).toBe('precision');
    expect(k.kneePerSec).toBeLessThanOrEqual(5_000);
    expect(k.failedAtPerSec).toBeGreaterThan(5_000);
    expect((k.failedAtPerSec as number) - (k.kneePerSec as number)).toBeLessThanOrEqual(
      (k.kneePerSec as number) * 0.1,
    );
    expect(k.atKnee?.p99Ms).toBe(20);
  });

  it('halves while the start rate fails and says so when nothing passes above the floor', async () => {
    const v = variant(10);
    const k = await searchKnee(v.measure, options);
    expect(v.rates).toEqual([1_000, 500, 250, 125, 63]);
    expect(k).toMatchObject({ kneePerSec: null, failedAtPerSec: 63, stoppedBy: 'floor' });
  });

  it('stops at the step bound, reporting the highest pass and no failure', async () => {
    const v = variant(1e9);
    const k = await searchKnee(v.measure, { ...options, maxSteps: 3 });
    expect(k).toMatchObject({ kneePerSec: 4_000, failedAtPerSec: null, stoppedBy: 'steps' });
  });

  it('stops when the time budget is spent, after at least one step', async () => {
    let t = 0;
    const v = variant(1e9);
    const k = await searchKnee(
      async (r) => {
        t += 40_000;
        return v.measure(r);
      },
      options,
      () => t,
    );
    expect(k.steps).toHaveLength(2);
    expect(k.stoppedBy).toBe('time');
  });

  it('counts a step that did not keep up as a failure even with a low p99', async () => {
    const k = await searchKnee(
      (rate) =>
        Promise.resolve({ samples: 10, keptUp: rate < 3_000, p50Ms: 1, p99Ms: 1 } as LatencyResult),
      options,
    );
    expect(k.kneePerSec).toBeGreaterThanOrEqual(2_000);
    expect(k.failedAtPerSec).toBeLessThanOrEqual(3_000);
  });
});
