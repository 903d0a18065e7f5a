import type { ApiResult } from './api-load';
import type { StreamSummary } from './dataset/stream';
import type { LoaderResult } from './loader';
import type { LatencyResult, ThroughputResult } from './measure';
import type { CpuSharesResult } from './proc';
import { type PhaseResults, phaseFailures, phaseTables } from './phases/phase-report';
import type { KneeResult } from './knee';
import { allocationTable, kneeTable, stageTable } from './stage-report';
import type { VariantId } from './variants';
import { type Spread, spread } from './spread';

export { type Spread, spread };

export interface VariantResult {
  id: VariantId;
  label: string;
  /** The run whose events/s is the median (the lower middle one for an even count). */
  throughput: ThroughputResult;
  /** Median of the runs' ratios, each to the baseline of the same run. */
  ratioToBaseline: number | null;
  latency: LatencyResult | null;
  /** The latency knee's search (absent with --rate, and in results written before it). */
  knee?: KneeResult | null;
  /** Every throughput run, in order (one unless --runs). */
  runs?: ThroughputResult[];
  eventsPerSec?: Spread;
  ratio?: Spread | null;
}

/** One variant's runs as the report gives them: the median and the spread of events/s and of its ratio. */
export function summariseRuns(
  id: VariantId,
  label: string,
  runs: ThroughputResult[],
  baselineRuns: ThroughputResult[] | null,
): VariantResult {
  if (runs.length === 0) throw new Error(`${id}: no throughput run`);
  const eventsPerSec = spread(runs.map((r) => r.eventsPerSec));
  const byRate = [...runs].sort((a, b) => a.eventsPerSec - b.eventsPerSec);
  const ratio =
    baselineRuns && baselineRuns.length === runs.length
      ? spread(runs.map((r, i) => r.eventsPerSec / baselineRuns[i].eventsPerSec))
      : null;
  return {
    id,
    label,
    throughput: byRate[Math.floor((byRate.length - 1) / 2)],
    ratioToBaseline: ratio ? ratio.median : null,
    latency: null,
    runs,
    eventsPerSec,
    ratio,
  };
}

/** What makes a run no result at all: a variant that did not write what it must, an API error. */
export function outputFailures(result: BenchResult): string[] {
  const out: string[] = [];
  for (const v of result.variants) {
    (v.runs ?? [v.throughput]).forEach((r, i) => {
      if (r.output && !r.output.ok) out.push(`${v.id} run ${i + 1}: ${r.output.detail}`);
    });
  }
  if (result.api && !result.api.clean) {
    const a = result.api;
    out.push(
      `API: ${a.max.non2xx + a.fixed.non2xx} non-2xx and ${a.max.errors + a.fixed.errors} errors under load; checked answers ${JSON.stringify(a.decisions)}`,
    );
    if (a.flooding) {
      const { flood, neighbour } = a.flooding;
      out.push(
        `API beside a flooding key: the neighbour had ${neighbour.non2xx} non-2xx and ${neighbour.errors} errors; the flooder's answers ${JSON.stringify(flood.statusCodes)}, ${flood.errors} errors`,
      );
    }
    if (a.draining) {
      const { run } = a.draining;
      out.push(`API while the stream drains: ${run.non2xx} non-2xx and ${run.errors} errors`);
    }
  }
  return [...out, ...phaseFailures(result)];
}

export interface TargetResult {
  target: string;
  value: string;
  met: boolean;
}

export interface BenchResult extends PhaseResults {
  runId: string;
  startedAt: string;
  finishedAt: string;
  machine: {
    nproc: number;
    cpuModel: string;
    memoryGB: number;
    node: string;
    kafka: string;
    redis: string;
    os: string;
    loadAvgAtStart: number[];
    note: string;
  };
  settings: Record<string, string | number>;
  stream: StreamSummary;
  loader: LoaderResult | null;
  /** Throughput runs per variant (absent in results written before --runs). */
  runs?: number;
  variants: VariantResult[];
  api?: ApiResult | null;
  targets: TargetResult[];
}

const n0 = (v: number): string =>
  Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '–';
const n1 = (v: number): string => (Number.isFinite(v) ? v.toFixed(1) : '–');
const n2 = (v: number): string => (Number.isFinite(v) ? v.toFixed(2) : '–');

/** The targets of issue 5 that this run can judge (a target needs its variants to have run). */
export function judgeTargets(
  variants: VariantResult[],
  loader: LoaderResult | null,
  api: ApiResult | null = null,
): TargetResult[] {
  const by = new Map(variants.map((v) => [v.id, v]));
  const screener = by.get('screener');
  const stock = by.get('nest-stock');
  const out: TargetResult[] = [];
  if (screener && screener.ratioToBaseline !== null) {
    const r = screener.ratio;
    const range =
      r && r.values.length > 1
        ? ` (median of ${r.values.length}; ${n0(r.min * 100)}–${n0(r.max * 100)}%)`
        : '';
    out.push({
      target: 'screener ≥ 60% of baseline events/s',
      value: `${n0(screener.ratioToBaseline * 100)}%${range}`,
      met: screener.ratioToBaseline >= 0.6,
    });
  }
  if (screener && stock) {
    const rate = (v: VariantResult): number => v.eventsPerSec?.median ?? v.throughput.eventsPerSec;
    const x = rate(screener) / rate(stock);
    out.push({ target: 'screener ≥ 3× stock Nest transport', value: `${n1(x)}×`, met: x >= 3 });
  }
  const pipeKnee = by.get('baseline')?.knee?.kneePerSec;
  if (screener?.knee && pipeKnee) {
    const k = screener.knee.kneePerSec ?? 0;
    out.push({
      target: 'screener latency knee (p99 ≤ 50 ms) ≥ 50% of the pipe’s',
      value: `${n0(k)} of ${n0(pipeKnee)} events/s (${n0((k / pipeKnee) * 100)}%)`,
      met: k >= pipeKnee / 2,
    });
  } else if (screener?.latency && !screener.knee) {
    out.push({
      target: 'screener p99 ≤ 50 ms at the fixed offered rate',
      value: `${n1(screener.latency.p99Ms)} ms`,
      met: screener.latency.p99Ms <= 50 && screener.latency.keptUp,
    });
  }
  if (screener) {
    out.push({
      target: 'screener peak RSS ≤ 250 MB',
      value: `${n1(screener.throughput.peakRssMB)} MB`,
      met: screener.throughput.peakRssMB <= 250,
    });
  }
  if (api) {
    const dirty = api.clean ? '' : ' (errors: not a result)';
    out.push({
      target: 'API ≥ 3,000 requests/s (closed loop)',
      value: `${n0(api.max.requestsPerSec)}/s${dirty}`,
      met: api.clean && api.max.requestsPerSec >= 3_000,
    });
    out.push({
      target: `API p99 ≤ 20 ms at ${n0(api.fixed.offeredPerSec ?? NaN)} requests/s`,
      value: `${n1(api.fixed.p99Ms)} ms${dirty}`,
      met: api.clean && api.fixed.p99Ms <= 20 && (api.fixed.offeredPerSec ?? 0) >= 1_000,
    });
    if (api.flooding) {
      const { neighbour, flood } = api.flooding;
      // Only a flood that was refused is one: a machine too busy to exceed the limit shows none.
      const refused = flood.statusCodes['429'] ?? 0;
      out.push({
        target: `API p99 ≤ 20 ms for a key at ${n0(neighbour.offeredPerSec ?? NaN)} requests/s beside a flooding key`,
        value: `${n1(neighbour.p99Ms)} ms, ${n0(neighbour.non2xx)} non-2xx; the flooder ${n0(refused)} 429s${dirty}`,
        met: api.clean && neighbour.p99Ms <= 20 && neighbour.non2xx === 0 && refused > 0,
      });
    }
    if (api.draining) {
      const { run, backlog, leftAtEnd } = api.draining;
      out.push({
        target: `API p99 ≤ 20 ms at ${n0(run.offeredPerSec ?? NaN)} requests/s while the stream drains ${n0(backlog)} events`,
        value: `${n1(run.p99Ms)} ms${leftAtEnd > 0 ? '' : ' (the backlog ran out before the run ended)'}${dirty}`,
        met: api.clean && run.p99Ms <= 20 && (run.offeredPerSec ?? 0) >= 1_000 && leftAtEnd > 0,
      });
    }
    out.push({
      target: 'API screener peak RSS ≤ 250 MB',
      value: `${n1(api.peakRssMB)} MB`,
      met: api.peakRssMB <= 250,
    });
  }
  if (loader) {
    out.push({
      target: 'list loader ≤ 15 s',
      value: `${n1(loader.seconds)} s`,
      met: loader.seconds <= 15,
    });
    out.push({
      target: 'list loader peak RSS ≤ 300 MB',
      value: `${n1(loader.peakRssMB)} MB`,
      met: loader.peakRssMB <= 300,
    });
  }
  return out;
}

export function markdownTable(result: BenchResult): string {
  const lines: string[] = [];
  const offered = result.variants.find((v) => v.latency)?.latency?.offeredPerSec;
  const knee = result.variants.some((v) => v.knee);
  const runs = result.runs ?? 1;
  const many = runs > 1;
  lines.push(
    `| variant | events/s${many ? ` (median of ${runs})` : ''} |${many ? ' min–max |' : ''} × baseline |${many ? ' min–max |' : ''} CPU s / 100k events | peak RSS MB | p50 ms | p99 ms | max ms | alerts | decisions | dead letters |`,
    `|---|--:|${many ? '--:|' : ''}--:|${many ? '--:|' : ''}--:|--:|--:|--:|--:|--:|--:|--:|`,
  );
  for (const v of result.variants) {
    const t = v.throughput;
    const l = v.latency;
    const sat = l && !l.keptUp ? ' (saturated)' : '';
    const eps = v.eventsPerSec;
    const rs = v.ratio;
    const rate = many && eps ? eps.median : t.eventsPerSec;
    const rateRange = many ? ` ${eps ? `${n0(eps.min)}–${n0(eps.max)}` : '–'} |` : '';
    const ratioRange = many ? ` ${rs ? `${n2(rs.min)}–${n2(rs.max)}` : '–'} |` : '';
    const decisions = t.decisions == null ? '–' : n0(t.decisions);
    lines.push(
      `| ${v.label} | ${n0(rate)} |${rateRange} ${v.ratioToBaseline === null ? '–' : n2(v.ratioToBaseline)} |${ratioRange} ${n1(t.cpuSecondsPer100k)} | ${n0(t.peakRssMB)} | ${l ? n1(l.p50Ms) : '–'} | ${l ? n1(l.p99Ms) + sat : '–'} | ${l ? n0(l.maxMs) : '–'} | ${n0(t.alerts)} | ${decisions} | ${n0(t.deadLetters)} |`,
    );
  }
  lines.push('');
  lines.push(
    `${n0(result.stream.events)} events (${n0(result.stream.avgBytes)} B average), ${result.settings.partitions} partitions per topic; ${knee ? "latency at each variant's knee (below)" : `latency at a fixed offered load of ${offered === undefined ? '–' : n0(offered)} events/s`}.` +
      (many
        ? ` Throughput: ${runs} runs of every variant, alternating; the median run's CPU, RSS and counts; × baseline is the median of each run's ratio to the baseline of the same run.`
        : ''),
  );
  const checks = result.variants.filter((v) => v.throughput.output);
  if (checks.length > 0) {
    lines.push('');
    lines.push('Output of each variant (every run):');
    for (const v of checks) {
      const all = v.runs ?? [v.throughput];
      const bad = all.filter((r) => !r.output.ok);
      lines.push(
        `- ${v.label}: ${bad.length === 0 ? 'ok' : `${bad.length} of ${all.length} runs FAILED`}; ${(bad[0] ?? v.throughput).output.detail}`,
      );
    }
  }
  const knees = kneeTable(result.variants);
  if (knees.length > 0) lines.push('', ...knees);
  const stages = stageTable(result.variants);
  if (stages.length > 0) lines.push('', ...stages);
  const allocations = allocationTable(result.variants);
  if (allocations.length > 0) lines.push('', ...allocations);
  if (result.api) lines.push('', apiTable(result.api));
  const shares = result.variants.filter((v) => v.latency?.cpu);
  if (shares.length > 0) {
    lines.push('');
    lines.push(
      `CPU during the latency phase, in cores of ${result.machine.nproc} (variant / broker / Redis / harness: load generator and collector):`,
    );
    for (const v of shares) lines.push(`- ${v.label}: ${cpuShareLine(v.latency as LatencyResult)}`);
  }
  if (result.loader) {
    const l = result.loader;
    const split = l.durationsMs
      ? ` (parse ${n1((l.durationsMs.parse ?? NaN) / 1000)} s, publish and switch ${n0(l.durationsMs.publish ?? NaN)} ms)`
      : '';
    lines.push('');
    lines.push(
      `List loader, full OFAC SDN Advanced XML: ${n1(l.seconds)} s wall${split}, peak RSS ${n0(l.peakRssMB)} MB, CPU ${l.cpuSeconds === null ? '–' : n1(l.cpuSeconds)} s, ${l.entries ?? '–'} entries.`,
    );
  }
  if (result.targets.length > 0) {
    lines.push('', '| target | this run | met |', '|---|--:|:-:|');
    for (const t of result.targets)
      lines.push(`| ${t.target} | ${t.value} | ${t.met ? 'yes' : 'NO'} |`);
  }
  const phases = phaseTables(result);
  if (phases !== '') lines.push('', phases);
  return lines.join('\n');
}

function apiTable(api: ApiResult): string {
  // Screener CPU per request: what the machine's other tenants change least.
  const cpuMs = (r: ApiResult['max']): number =>
    r.cpu.cores.variant == null || r.requests === 0
      ? Number.NaN
      : (r.cpu.cores.variant * r.cpu.seconds * 1000) / r.requests;
  const row = (name: string, r: ApiResult['max']): string =>
    `| ${name} | ${r.connections} | ${n0(r.requests)} | ${n0(r.requestsPerSec)} | ${n1(r.p50Ms)} | ${n1(r.p90Ms)} | ${n1(r.p99Ms)} | ${n0(r.maxMs)} | ${n0(r.non2xx)} | ${n0(r.errors)} | ${n2(cpuMs(r))} |`;
  const mix = Object.entries(api.decisions)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const kinds = Object.entries(api.kinds)
    .map(([k, v]) => `${n0(v)} ${k}`)
    .join(', ');
  return [
    `Screening API, \`POST /v1/screen\` (autocannon in the harness, on the same CPUs):`,
    '',
    '| run | connections | requests | requests/s (2xx) | p50 ms | p90 ms | p99 ms | max ms | non-2xx | errors | screener CPU ms / request |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
    row('closed loop (most requests/s)', api.max),
    row(`fixed ${n0(api.fixed.offeredPerSec ?? NaN)} requests/s`, api.fixed),
    ...(api.flooding
      ? [
          row('a key flooding (closed loop; non-2xx: 429s)', api.flooding.flood),
          row(
            `another key beside it, ${n0(api.flooding.neighbour.offeredPerSec ?? NaN)} requests/s`,
            api.flooding.neighbour,
          ),
        ]
      : []),
    ...(api.draining
      ? [
          row(
            `fixed ${n0(api.draining.run.offeredPerSec ?? NaN)} requests/s while the stream drains ${n0(api.draining.backlog)} events (${n0(api.draining.leftAtEnd)} left at the end)`,
            api.draining.run,
          ),
        ]
      : []),
    '',
    ...(api.limitPerSec === undefined
      ? []
      : [
          `Rate limit on in every run: API_RATE_LIMIT_PER_SECOND=${n0(api.limitPerSec)} a key; the first two runs spread their requests over ${n0(api.keys ?? NaN)} keys, so that they carry the limiter's cost and none of its refusals; in the last two, run at once, one key floods and another asks well within its limit, from a process of its own (another client: on the flooder's event loop its latency would include the harness's own delays).`,
          '',
        ]),
    `Bodies: ${kinds} transfers of the stream, in order; the first ${api.checkedBodies} sent once each beforehand: ${mix}. ` +
      `Screener peak RSS ${n0(api.peakRssMB)} MB (${n0(api.startedRssMB ?? NaN)} MB once started, before the first request). CPU in cores (screener / broker / Redis / harness: autocannon): ` +
      `closed loop ${cpuCores(api.max.cpu)}; fixed rate ${cpuCores(api.fixed.cpu)}` +
      (api.draining ? `; fixed rate while draining ${cpuCores(api.draining.run.cpu)}.` : '.'),
  ].join('\n');
}

function cpuCores(cpu: CpuSharesResult): string {
  const c = cpu.cores;
  const core = (v: number | null | undefined): string => (v == null ? '–' : n2(v));
  const busy = cpu.machineBusyPct === null ? '–' : `${n0(cpu.machineBusyPct)}%`;
  return `${core(c.variant)} / ${core(c.broker)} / ${core(c.redis)} / ${core(c.harness)}, machine ${busy} busy`;
}

function cpuShareLine(l: LatencyResult): string {
  const c = l.cpu.cores;
  const core = (v: number | null | undefined): string => (v == null ? '–' : n2(v));
  const busy = l.cpu.machineBusyPct === null ? '–' : `${n0(l.cpu.machineBusyPct)}%`;
  return `machine ${busy} busy; ${core(c.variant)} / ${core(c.broker)} / ${core(c.redis)} / ${core(c.harness)} over ${n1(l.cpu.seconds)} s`;
}

export function markdownReport(result: BenchResult): string {
  const m = result.machine;
  const s = result.settings;
  return [
    `# sekimori benchmark, run ${result.runId}`,
    '',
    `${result.startedAt} → ${result.finishedAt}`,
    '',
    markdownTable(result),
    '',
    `Machine: ${m.nproc} CPUs (${m.cpuModel}), ${n1(m.memoryGB)} GB, Node ${m.node}, Kafka ${m.kafka}, Redis ${m.redis}, ${m.os}; load average at start ${m.loadAvgAtStart.map(n2).join(' / ')}. ${m.note}`,
    '',
    'Settings:',
    ...Object.entries(s).map(([k, v]) => `- ${k}: ${v}`),
    '',
  ].join('\n');
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Two horizontal bar charts: events/s, and p99 latency on a log scale with the 50 ms target. */
export function svgChart(result: BenchResult): string {
  const rows = result.variants;
  const W = 1000;
  const rowH = 34;
  const top = 56;
  const labelW = 270;
  const barW = 230;
  const latX = labelW + barW + 100;
  const H = top + rows.length * rowH + 40;
  const maxTput = Math.max(1, ...rows.map((r) => r.throughput.eventsPerSec));
  const lat = rows.map((r) => r.latency?.p99Ms ?? NaN);
  // 1 ms to the next power of ten above the slowest p99: a saturated variant stays on the chart.
  const decades = Math.max(3, Math.ceil(Math.log10(Math.max(1, ...lat.filter(Number.isFinite)))));
  const xOf = (ms: number): number => (Math.log10(Math.max(1, ms)) / decades) * barW;
  const colors: Record<string, string> = {
    baseline: '#8c8c8c',
    screener: '#2b6cb0',
    'screener-eos': '#4299e1',
    'nest-stock': '#dd6b20',
  };
  const bottom = top + rows.length * rowH;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">${escapeXml(`sekimori benchmark: ${result.stream.events.toLocaleString('en-US')} events, ${result.machine.nproc} CPUs`)}</text>`,
    `<text x="${labelW}" y="44" font-weight="bold">throughput (events/s)</text>`,
    `<text x="${latX}" y="44" font-weight="bold">p99 latency ${rows.some((r) => r.knee) ? 'at each knee' : 'at fixed load'} (ms, log scale)</text>`,
  ];
  for (let d = 0; d <= decades; d++) {
    const x = latX + (d / decades) * barW;
    parts.push(
      `<line x1="${x.toFixed(1)}" y1="${top - 4}" x2="${x.toFixed(1)}" y2="${bottom}" stroke="#e2e2e2"/>`,
      `<text x="${x.toFixed(1)}" y="${bottom + 14}" text-anchor="middle" fill="#666">${n0(10 ** d)}</text>`,
    );
  }
  const target = latX + xOf(50);
  parts.push(
    `<line x1="${target.toFixed(1)}" y1="${top - 6}" x2="${target.toFixed(1)}" y2="${bottom}" stroke="#c53030" stroke-dasharray="4 3"/>`,
    `<text x="${target.toFixed(1)}" y="${bottom + 28}" text-anchor="middle" fill="#c53030">target 50</text>`,
  );
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    const color = colors[r.id] ?? '#555';
    const w = (r.throughput.eventsPerSec / maxTput) * barW;
    parts.push(
      `<text x="10" y="${y + 17}">${escapeXml(r.label)}</text>`,
      `<rect x="${labelW}" y="${y + 4}" width="${w.toFixed(1)}" height="18" fill="${color}"/>`,
      `<text x="${(labelW + w + 4).toFixed(1)}" y="${y + 17}">${n0(r.throughput.eventsPerSec)}</text>`,
    );
    const p99 = lat[i];
    if (Number.isFinite(p99)) {
      const lw = xOf(p99);
      const label = `${n1(p99)}${r.latency?.keptUp === false ? ' (saturated)' : ''}`;
      parts.push(
        `<rect x="${latX}" y="${y + 4}" width="${lw.toFixed(1)}" height="18" fill="${color}"/>`,
        `<text x="${(latX + lw + 4).toFixed(1)}" y="${y + 17}">${escapeXml(label)}</text>`,
      );
    }
  });
  parts.push('</svg>');
  return parts.join('\n');
}
