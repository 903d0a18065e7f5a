import type { ListSource } from '@sekimori/config';
import type { Logger } from 'pino';
import { type CheckDeps, checkSource, type SourceOutcome, type SourceReport } from './check-source';
import { isSuccess, type UpdateMetrics } from './update-metrics';

const SAYS: Record<SourceOutcome, string> = {
  published: 'list update: new version published',
  unchanged: 'list update: same content as the current version; check recorded',
  'not-modified': 'list update: not modified since the last fetch (304); check recorded',
  rejected: 'list update: file rejected, current version kept',
  older: 'list update: file older than the current version, current version kept',
  failed: 'list update: source failed, current version kept',
  'announce-failed': 'list update: new version current, but its announcement failed',
};

/** One pass: every source in turn (one download at a time), each outcome logged and counted. */
export async function runPass(
  sources: readonly ListSource[],
  deps: CheckDeps,
  metrics: UpdateMetrics,
  log: Logger,
): Promise<SourceReport[]> {
  const started = Date.now();
  const reports: SourceReport[] = [];
  for (const source of sources) {
    if (deps.stop?.aborted) break;
    const report = await checkSource(source, deps);
    reports.push(report);
    metrics.record(report, new Date());
    // `version` in a log line is the program's; the list's is `listVersion`.
    const { version: listVersion, ...rest } = report;
    const line = { ...rest, listVersion, url: redactUrl(report.url) };
    const text = report.message
      ? `${SAYS[report.outcome]}: ${report.message}`
      : SAYS[report.outcome];
    if (isSuccess(report.outcome)) log.info(line, text);
    else if (report.outcome === 'older') log.warn(line, text);
    else log.error(line, text);
  }
  const failed = reports.filter((r) => !isSuccess(r.outcome)).map((r) => r.listId);
  log[failed.length > 0 ? 'warn' : 'info'](
    {
      sources: Object.fromEntries(reports.map((r) => [r.listId, r.outcome])),
      failed,
      durationMs: Date.now() - started,
      totals: metrics.snapshot(),
    },
    failed.length > 0
      ? `list update pass done: ${failed.length} of ${reports.length} sources failed (${failed.join(', ')})`
      : `list update pass done: ${reports.length} sources checked`,
  );
  return reports;
}

/** A source URL fit for a log line: no credentials, no query (it may hold a token). */
export function redactUrl(url: string): string {
  const parsed = new URL(url);
  parsed.username = '';
  parsed.password = '';
  const query = parsed.search ? '?***' : '';
  parsed.search = '';
  return `${parsed.href}${query}`;
}
