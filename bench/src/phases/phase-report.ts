import type { ExposureGraphResult } from './exposure-graph';
import type { RetroResult } from './retro';
import type { InstanceShare, ScaleOutResult } from './scale-out';
import { type ReviewsResult, reviewsFailures, reviewsTable } from './reviews-report';

/** The phases of issues 10, 11 and 12, each absent when it did not run. */
export interface PhaseResults {
  retro?: RetroResult | null;
  exposureGraph?: ExposureGraphResult | null;
  scaleOut?: ScaleOutResult | null;
  /** Issue 18: the screener with and without clearances, and review throughput. */
  reviews?: ReviewsResult | null;
  /** 1-minute load average as each phase started: the machine is shared. */
  loadAvgAtPhase?: Record<string, number>;
}

const n0 = (v: number): string =>
  Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '–';
const n1 = (v: number): string => (Number.isFinite(v) ? v.toFixed(1) : '–');
const n2 = (v: number): string => (Number.isFinite(v) ? v.toFixed(2) : '–');
const middle = (v: number[]): number =>
  [...v].sort((a, b) => a - b)[Math.floor((v.length - 1) / 2)];
const pct = (v: number): string => (Number.isFinite(v) ? `${Math.round(v * 100)} %` : '–');

/** What makes a phase no result: a missing or repeated retroactive alert, an undecided event. */
export function phaseFailures(p: PhaseResults): string[] {
  const out: string[] = [];
  const r = p.retro;
  if (r && !r.ok) {
    out.push(
      `re-screen: scanned ${r.scanned} of ${r.toScan}, matched ${r.matched} of ${r.added}; retroactive alerts ` +
        `${r.retroAlerts.missing} missing, ${r.retroAlerts.extra} extra, ${r.retroAlerts.repeats} repeated; ` +
        `retroactive decisions ${r.retroDecisions.missing} missing, ${r.retroDecisions.extra} extra; live ${r.live.detail}`,
    );
  }
  for (const run of p.exposureGraph?.runs ?? []) {
    if (!run.screener.output.ok) out.push(`exposure graph: ${run.screener.output.detail}`);
    if (!run.plain.output.ok) out.push(`exposure graph, plain stream: ${run.plain.output.detail}`);
  }
  for (const run of p.scaleOut?.runs ?? []) {
    if (!run.output.ok) out.push(`scale-out ×${run.instances}: ${run.output.detail}`);
  }
  const rb = p.scaleOut?.rebalance;
  if (rb && !rb.output.ok) out.push(`rebalance: ${rb.output.detail}`);
  if (p.reviews) out.push(...reviewsFailures(p.reviews));
  return out;
}

function retroTable(r: RetroResult): string[] {
  return [
    '#### Re-screen after a list update (issue 10)',
    '',
    '| past transfers | added addresses | re-screen events/s | seconds | scanned | matched | peak RSS MB (during) | screener CPU s | live events/s during | live events/s after | live during ÷ after |',
    '|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
    `| ${n0(r.pastEvents)} | ${n0(r.added)} | ${n0(r.eventsPerSec)} | ${n1(r.seconds)} | ${n0(r.scanned)} of ${n0(r.toScan)} | ${n0(r.matched)} | ${n0(r.peakRssMB)} (${n0(r.peakRssDuringMB)}) | ${n1(r.cpuSeconds)} | ${n0(r.liveDuring.eventsPerSec)} | ${n0(r.liveAfter.eventsPerSec)} | ${n2(r.liveDuring.eventsPerSec / r.liveAfter.eventsPerSec)} |`,
    '',
    `Retroactive alerts: ${n0(r.retroAlerts.alerts)} on ${n0(r.retroAlerts.events)} transfers for ${n0(r.added)} expected ` +
      `(${r.retroAlerts.missing} missing, ${r.retroAlerts.extra} extra, ${r.retroAlerts.repeats} repeated); retroactive decisions ` +
      `${n0(r.retroDecisions.decisions)} (${r.retroDecisions.missing} missing, ${r.retroDecisions.extra} extra); ` +
      `live events: ${r.live.detail}. Live events kept waiting all through the re-screen: ${r.liveBacklogMin > 0 ? `yes (at least ${n0(r.liveBacklogMin)})` : 'NO (the live stream ran dry)'}. ` +
      `${r.ok ? 'Checks passed.' : 'CHECKS FAILED.'} Times from the screener's own log lines; the end is seen at its next check (every ${r.checkIntervalMs} ms).`,
  ];
}

function exposureTable(x: ExposureGraphResult): string[] {
  const g = x.graph;
  return [
    '#### Exposure graph (issue 11)',
    '',
    '| events (graph events) | baseline events/s | screener events/s | × baseline (median) | screener without the graph, events/s (× baseline) | screener CPU s / 100k, with / without the graph | exposure keys | exposure bytes | bytes per tracked node | routing accounts | routing bytes | bytes per account |',
    '|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
    `| ${n0(x.events)} (${n0(g.events)}) | ${n0(x.baselineEventsPerSec)} | ${n0(x.screenerEventsPerSec)} | ${n2(x.ratio)}${x.runs.length > 1 ? ` (${x.runs.map((r) => n2(r.ratio)).join(', ')})` : ''} | ${n0(x.plainEventsPerSec)} (${n2(x.plainRatio)}) | ${n1(middle(x.runs.map((r) => r.screener.cpuSecondsPer100k)))} / ${n1(middle(x.runs.map((r) => r.plain.cpuSecondsPer100k)))} | ${n0(x.exposure.keys)} | ${n0(x.exposure.bytes)} | ${n0(x.exposure.bytesPerKey)} | ${n0(x.routing.accounts)} | ${n0(x.routing.bytes)} | ${n0(x.routing.bytesPerAccount)} |`,
    '',
    `Graph: ${g.onchainHops} on-chain hops (EXPOSURE_MAX_HOPS ${x.maxHops}, chains ${g.onchainHops / Math.max(1, g.deposits)} hops deep), ${g.deposits} deposits, ${g.withdrawals} withdrawals to a Singapore VASP, ${g.dustHops} dust hops. ` +
      `Raised on the graph's events: INDIRECT_EXPOSURE ${x.raised.indirect} (expected ${g.expectedIndirect}; on deposits and withdrawals ${x.raised.indirectExchange ?? '–'} of ${g.expectedIndirectExchange ?? '–'}), THIRD_COUNTRY_ROUTING ${x.raised.routing} (expected ${g.expectedRouting}), ` +
      `SANCTIONS_ADDRESS_MATCH ${x.raised.sanctions}; over the whole stream INDIRECT_EXPOSURE ${x.raisedInStream.indirect}, THIRD_COUNTRY_ROUTING ${x.raisedInStream.routing}. ` +
      `Target screener ≥ 60 % of baseline: ${x.ratio >= 0.6 ? 'met' : 'NOT met'}.`,
  ];
}

function sharesText(shares: InstanceShare[]): string {
  return shares.map((s) => `#${s.instance} ${pct(s.share)}`).join(', ');
}

function scaleOutTable(s: ScaleOutResult): string[] {
  const rb = s.rebalance;
  return [
    '#### Scale-out (issue 12)',
    '',
    `| instances | events/s | CPU s / 100k events (all instances) | share of each | CPU ms per event, each | events per batch, each | peak RSS MB, each | decisions |`,
    '|--:|--:|--:|---|---|---|---|---|',
    ...s.runs.map(
      (r) =>
        `| ${r.instances} | ${n0(r.eventsPerSec)} | ${n1(r.cpuSecondsPer100k)} | ${sharesText(r.shares)} | ${r.shares.map((x) => n2(x.cpuMsPerEvent)).join(' / ')} | ${r.shares.map((x) => n0(x.events / Math.max(1, x.batches))).join(' / ')} | ${r.shares.map((x) => n0(x.peakRssMB)).join(' / ')} | ${r.output.detail} |`,
    ),
    '',
    `${n0(s.runs[0]?.events ?? NaN)} events, ${s.partitions} partitions per input topic, one group; every instance joins before the backlog is produced; events/s from the first send to the group's last commit.`,
    '',
    `Rebalance under load (${n0(rb.events)} events, produced as the two first instances work): ${rb.steps.join('; ')}. ` +
      `${n0(rb.eventsPerSec)} events/s overall; shares ${sharesText(rb.shares)} (of ${n0(rb.shares.reduce((a, x) => a + x.events, 0))} counted in the logs: a stopped instance's last second is not in its log); ${rb.output.detail}` +
      ` (${rb.output.missing} missing, ${rb.output.repeated} repeated). ${rb.output.ok ? 'Nothing lost.' : 'EVENTS LOST.'}`,
  ];
}

/** The Markdown of the phases that ran (empty when none did). */
export function phaseTables(p: PhaseResults): string {
  const parts: string[][] = [];
  if (p.retro) parts.push(retroTable(p.retro));
  if (p.exposureGraph) parts.push(exposureTable(p.exposureGraph));
  if (p.scaleOut) parts.push(scaleOutTable(p.scaleOut));
  if (p.reviews) parts.push(reviewsTable(p.reviews));
  if (parts.length === 0) return '';
  const load = Object.entries(p.loadAvgAtPhase ?? {})
    .map(([k, v]) => `${k} ${n2(v)}`)
    .join(', ');
  return [
    ...parts.flatMap((x) => [...x, '']),
    `1-minute load average as each phase started: ${load}.`,
  ].join('\n');
}
