import { STAGES, type StageBreakdown } from './cpu-profile';
import type { ThroughputResult } from './measure';
import { stageTable } from './stage-report';

function run(
  events: number,
  cpuSeconds: number,
  perEvent: Record<string, number>,
): ThroughputResult {
  const perEventUs = Object.fromEntries(STAGES.map((s) => [s, perEvent[s] ?? 0]));
  const cpuUs = Object.values(perEventUs).reduce((a, b) => a + b, 0) * events;
  const stages: StageBreakdown = {
    events,
    cpuUs,
    unattributedUs: 0,
    perEventUs,
    idleUs: 0,
    samples: 10,
    bundleMapped: true,
    topFunctions: [],
  };
  return { events, cpuSeconds, stages } as ThroughputResult;
}

const row = (lines: string[], stage: string): string[] =>
  (lines.find((l) => l.startsWith(`| ${stage} |`)) ?? '')
    .split('|')
    .map((c) => c.trim())
    .slice(2, -1);

describe('stageTable', () => {
  it('scales the profile to the process CPU and sets the pipe beside each variant', () => {
    // The pipe's profile says 100 µs per event but the process used 50: every stage halves.
    const pipe = run(1_000, 0.05, { 'produce and commit': 60, GC: 40 });
    const screener = run(1_000, 0.2, { names: 100, 'produce and commit': 60, GC: 40 });
    const lines = stageTable([
      { id: 'baseline', label: 'pipe', throughput: pipe },
      { id: 'screener', label: 'screener', throughput: screener },
    ]);
    expect(row(lines, 'produce and commit')).toEqual(['30.0', '60.0', '30.0']);
    expect(row(lines, 'names')).toEqual(['0.0', '100.0', '100.0']);
    expect(row(lines, '**total: process CPU**')).toEqual(['50.0', '200.0', '150.0']);
    expect(lines).toContain("CPU per event against the pipe's: screener 4.00× (budget: 2×).");
  });

  it('says nothing without profiles', () => {
    expect(
      stageTable([{ id: 'screener', label: 's', throughput: {} as ThroughputResult }]),
    ).toEqual([]);
  });
});
