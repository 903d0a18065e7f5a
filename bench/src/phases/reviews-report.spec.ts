import { suppressionCost } from './reviews-report';

describe('the cost of suppression', () => {
  it('compares the run-by-run ratio with the spread of the runs without clearances', () => {
    const c = suppressionCost([1000, 1100, 900], [990, 1045, 918]);
    expect(c.ratio.values.map((v) => Number(v.toFixed(3)))).toEqual([0.99, 0.95, 1.02]);
    expect(c.ratio.median).toBeCloseTo(0.99, 6);
    expect(c.cost).toBeCloseTo(0.01, 6);
    // (1100 − 900) / 1000
    expect(c.noise).toBeCloseTo(0.2, 6);
    expect(c.withinNoise).toBe(true);
  });

  it('says when the cost is beyond the noise, and that one run has none to compare with', () => {
    const beyond = suppressionCost([1000, 1010, 990], [800, 820, 790]);
    expect(beyond.cost).toBeCloseTo(0.2, 2);
    expect(beyond.withinNoise).toBe(false);
    expect(suppressionCost([1000], [900]).withinNoise).toBeNull();
  });

  it('pairs runs by their number, leaving an unpaired one out', () => {
    expect(suppressionCost([1000, 1000], [500, 1000, 2000]).ratio.values).toEqual([0.5, 1]);
  });
});
