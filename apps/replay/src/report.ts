import type { ListVersions, ReplayEntry, ReplaySummary } from '@sekimori/screening';
import { formatListVersions } from '@sekimori/screening';
import type { PartitionRange } from './topic-range';

export interface ReplayReport {
  type: 'replay-report';
  topic: string;
  from: string;
  to: string;
  /** `--lists` as given ('' when each event was replayed against its own versions). */
  lists: string;
  generatedAt: string;
  ranges: Array<{ partition: number; start: string; end: string }>;
  summary: ReplaySummary;
  events: ReplayEntry[];
}

export function buildReport(options: {
  topic: string;
  fromMs: number;
  toMs: number;
  lists: ListVersions;
  ranges: readonly PartitionRange[];
  summary: ReplaySummary;
  entries: ReplayEntry[];
  now: Date;
}): ReplayReport {
  return {
    type: 'replay-report',
    topic: options.topic,
    from: new Date(options.fromMs).toISOString(),
    to: new Date(options.toMs).toISOString(),
    lists: formatListVersions(options.lists),
    generatedAt: options.now.toISOString(),
    ranges: options.ranges.map((r) => ({
      partition: r.partition,
      start: r.start.toString(),
      end: r.end.toString(),
    })),
    summary: options.summary,
    events: options.entries,
  };
}

/** Differences listed on stdout; the report holds them all. */
const SHOWN = 20;

/** The short human summary: counts, then the first differences one per line. */
export function humanSummary(report: ReplayReport, out?: string): string {
  const { summary } = report;
  const lines = [
    `replay of ${report.topic} from ${report.from} to ${report.to}` +
      (report.lists
        ? ` against ${report.lists}`
        : ' against the versions each event was screened against'),
    `${summary.events} events: ${summary.same} same, ${summary.different} different, ${summary.notDecided} not decided`,
  ];
  const transitions = Object.entries(summary.transitions).map(([t, n]) => `${t} ${n}`);
  const kinds = Object.entries(summary.byKind)
    .filter(([kind]) => kind !== 'same' && kind !== 'not-decided')
    .map(([kind, n]) => `${kind} ${n}`);
  if (kinds.length > 0) {
    lines.push(
      `differences: ${kinds.join(', ')}${transitions.length ? ` (${transitions.join(', ')})` : ''}`,
    );
  }
  const suppressed = report.events.filter((e) => (e.reviews?.suppressed.length ?? 0) > 0).length;
  const frozen = report.events.filter((e) => (e.reviews?.frozenBy.length ?? 0) > 0).length;
  if (suppressed + frozen > 0) {
    lines.push(
      `reviews in force at each event's time: ${suppressed} with a match suppressed by a clearance, ${frozen} blocked by a freeze`,
    );
  }
  const different = report.events.filter((e) => e.kind === 'decision' || e.kind === 'alerts');
  for (const entry of different.slice(0, SHOWN)) {
    const change = entry.changes;
    const outcome = change?.decision ? `${change.decision.from}→${change.decision.to}` : 'alerts';
    const rules = [
      ...(change?.ruleIds.added ?? []).map((r) => `+${r}`),
      ...(change?.ruleIds.removed ?? []).map((r) => `-${r}`),
    ];
    lines.push(
      `  ${outcome}  ${entry.eventId ?? `offset ${entry.partition}/${entry.offset}`}  ${rules.join(' ')}`.trimEnd(),
    );
  }
  if (different.length > SHOWN) lines.push(`  ... ${different.length - SHOWN} more in the report`);
  lines.push(
    out === undefined ? 'no --out: the per-event report was not written' : `report: ${out}`,
  );
  return `${lines.join('\n')}\n`;
}
