import type { AllocationBreakdown } from './allocation-profile';
import { STAGES, type StageBreakdown } from './cpu-profile';
import type { KneeResult } from './knee';
import type { ThroughputResult } from './measure';
import type { VariantId } from './variants';

interface Profiled {
  id: VariantId;
  label: string;
  knee?: KneeResult | null;
  throughput: ThroughputResult;
  runs?: ThroughputResult[];
}

const n0 = (v: number): string => Math.round(v).toLocaleString('en-US');
const n1 = (v: number): string => (Number.isFinite(v) ? v.toFixed(1) : '–');

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Each stage's median over the runs profiled (one unless --runs). The profile's sample times are
 * the main thread's wall time while not idle (a descheduled thread keeps its last stack, and
 * threads off the main one are not sampled), so each run's stage shares are scaled to the
 * process's measured CPU of the same window.
 */
function medianBreakdown(v: Profiled): {
  perEventUs: Record<string, number>;
  runs: StageBreakdown[];
} {
  const profiled = (v.runs ?? [v.throughput]).filter((r) => !!r.stages);
  const runs = profiled.map((r) => r.stages as StageBreakdown);
  const perEventUs: Record<string, number> = {};
  const scaled = profiled.map((r) => {
    const b = r.stages as StageBreakdown;
    const cpuUs = r.cpuSeconds > 0 ? r.cpuSeconds * 1e6 : b.cpuUs;
    return { b, scale: b.cpuUs > 0 ? cpuUs / b.cpuUs : 1, cpuUs };
  });
  for (const s of STAGES) {
    perEventUs[s] = median(scaled.map(({ b, scale }) => b.perEventUs[s] * scale));
  }
  perEventUs.total = median(scaled.map(({ b, cpuUs }) => cpuUs / Math.max(1, b.events)));
  perEventUs.profiled = median(scaled.map(({ b }) => b.cpuUs / Math.max(1, b.events)));
  return { perEventUs, runs };
}

/**
 * --profile: µs of CPU per event by stage over the throughput window, every profiled variant
 * beside the bare pipe, and each one's heaviest functions. Empty without profiles.
 */
export function stageTable(variants: readonly Profiled[]): string[] {
  const profiled = variants
    .map((v) => ({ v, ...medianBreakdown(v) }))
    .filter((p) => p.runs.length > 0);
  if (profiled.length === 0) return [];
  const pipe = profiled.find((p) => p.v.id === 'baseline');
  const others = profiled.filter((p) => p !== pipe);
  const lines = [
    `CPU per event by stage (µs; \`--profile\`: V8 CPU profiles of the throughput window, the self time of each sample given to the nearest frame on its stack that belongs to a stage, the shares scaled to the process's CPU (utime + stime) over the window; median of ${profiled[0].runs.length} run(s)):`,
    '',
    `| stage |${pipe ? ' pipe |' : ''}${others.map((p) => ` ${p.v.id} |${pipe ? ' − pipe |' : ''}`).join('')}`,
    `|---|${pipe ? '--:|' : ''}${others.map(() => `--:|${pipe ? '--:|' : ''}`).join('')}`,
  ];
  for (const s of [...STAGES, 'total', 'profiled']) {
    const cell = (p: typeof pipe): string => n1(p?.perEventUs[s] ?? Number.NaN);
    const row = others
      .map((p) => {
        const diff = pipe ? ` ${n1(p.perEventUs[s] - pipe.perEventUs[s])} |` : '';
        return ` ${cell(p)} |${diff}`;
      })
      .join('');
    const name =
      s === 'total'
        ? '**total: process CPU**'
        : s === 'profiled'
          ? 'main thread busy in the profile (unscaled)'
          : s;
    lines.push(`| ${name} |${pipe ? ` ${cell(pipe)} |` : ''}${row}`);
  }
  if (pipe && others.length > 0) {
    const ratio = others
      .map((p) => `${p.v.id} ${(p.perEventUs.total / pipe.perEventUs.total).toFixed(2)}×`)
      .join(', ');
    lines.push('', `CPU per event against the pipe's: ${ratio} (budget: 2×).`);
  }
  for (const p of profiled) {
    const b = p.runs[0];
    const unplaced = b.cpuUs > 0 ? (100 * b.unattributedUs) / b.cpuUs : 0;
    lines.push(
      '',
      `${p.v.id}: ${n0(b.samples)} samples over ${n0(b.events)} events, idle ${n1(b.idleUs / 1000)} ms; ` +
        `${unplaced.toFixed(1)} % of its CPU on stacks with no project or known library frame` +
        (b.bundleMapped ? '' : '; the bundle had no module banners (built without --profile)') +
        `. Heaviest functions (self µs per event):`,
    );
    for (const f of b.topFunctions) {
      lines.push(`- ${n1(f.perEventUs)} ${f.name} (${f.where}) → ${f.stage}`);
    }
  }
  return lines;
}

/**
 * --alloc-profile: bytes allocated per event by stage over the throughput window (medians over
 * the runs), every sampled variant beside the bare pipe, and where each allocates most. What a
 * stage allocates is what the scavenger sweeps and, for what lives through a wait, promotes.
 */
export function allocationTable(variants: readonly Profiled[]): string[] {
  const sampled = variants
    .map((v) => ({
      v,
      runs: (v.runs ?? [v.throughput])
        .map((r) => r.allocations)
        .filter((a): a is AllocationBreakdown => !!a),
    }))
    .filter((p) => p.runs.length > 0);
  if (sampled.length === 0) return [];
  const perEvent = (runs: AllocationBreakdown[], s: string): number =>
    s === 'total'
      ? median(runs.map((r) => r.bytes / Math.max(1, r.events)))
      : median(runs.map((r) => r.perEventBytes[s]));
  const pipe = sampled.find((p) => p.v.id === 'baseline');
  const others = sampled.filter((p) => p !== pipe);
  const survivors = sampled[0].runs[0].sampled === 'survivors';
  const what = survivors
    ? "Bytes per event that outlived a scavenge, by stage of where they were allocated (`--alloc-survivors`: V8's sampling heap profiler over the throughput window, objects freed by a scavenge left out"
    : "Bytes allocated per event by stage (`--alloc-profile`: V8's sampling heap profiler over the throughput window, collected objects included";
  const lines = [
    `${what}, each sample given to a stage as CPU samples are; median of ${sampled[0].runs.length} run(s)):`,
    '',
    `| stage |${pipe ? ' pipe |' : ''}${others.map((p) => ` ${p.v.id} |${pipe ? ' − pipe |' : ''}`).join('')}`,
    `|---|${pipe ? '--:|' : ''}${others.map(() => `--:|${pipe ? '--:|' : ''}`).join('')}`,
  ];
  for (const s of [...STAGES, 'total']) {
    if (s === 'GC' || s === 'program (V8, native, outside JS)') continue;
    const base = pipe ? perEvent(pipe.runs, s) : Number.NaN;
    const row = others
      .map((p) => {
        const own = perEvent(p.runs, s);
        return ` ${n0(own)} |${pipe ? ` ${n0(own - base)} |` : ''}`;
      })
      .join('');
    const name = s === 'total' ? '**total**' : s;
    lines.push(`| ${name} |${pipe ? ` ${n0(base)} |` : ''}${row}`);
  }
  for (const p of sampled) {
    const a = p.runs[0];
    lines.push(
      '',
      `${p.v.id}: ${n0(a.bytes / 1e6)} MB ${survivors ? 'outlived a scavenge' : 'allocated'} over ${n0(a.events)} events` +
        (a.bundleMapped ? '' : '; the bundle had no module banners (built without --profile)') +
        '. Heaviest sites (self bytes per event):',
    );
    for (const site of a.topSites) {
      lines.push(`- ${n0(site.perEventBytes)} ${site.name} (${site.where}) → ${site.stage}`);
    }
  }
  return lines;
}

/** The latency knee of each variant, and its ratio to the pipe's. Empty with --rate. */
export function kneeTable(variants: readonly Profiled[]): string[] {
  const searched = variants.filter((v) => v.knee);
  if (searched.length === 0) return [];
  const pipe = searched.find((v) => v.id === 'baseline')?.knee?.kneePerSec ?? null;
  const lines = [
    `Latency knee: the highest offered rate with p99 end-to-end ≤ ${searched[0].knee?.maxP99Ms} ms (and drained within 1 s of the last event):`,
    '',
    '| variant | knee events/s | failed at | × pipe | steps (events/s: p99 ms) | stopped by |',
    '|---|--:|--:|--:|---|---|',
  ];
  for (const v of searched) {
    const k = v.knee as KneeResult;
    const steps = k.steps
      .map(
        (s) =>
          `${n0(s.offeredPerSec)}: ${n1(s.p99Ms)}${s.pass ? '' : s.keptUp ? ' ✗' : ' ✗ (behind)'}`,
      )
      .join(', ');
    const ratio = pipe && k.kneePerSec !== null ? (k.kneePerSec / pipe).toFixed(2) : '–';
    lines.push(
      `| ${v.label} | ${k.kneePerSec === null ? 'none' : n0(k.kneePerSec)} | ${k.failedAtPerSec === null ? '–' : n0(k.failedAtPerSec)} | ${ratio} | ${steps} | ${k.stoppedBy} |`,
    );
  }
  return lines;
}
