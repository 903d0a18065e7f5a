import { createServer, type Server } from 'node:http';
import { Counter, Gauge, Registry } from 'prom-client';
import type { SourceOutcome, SourceReport } from './check-source';

/**
 * The updater's counters: exposed on /metrics in --watch mode when LIST_UPDATER_METRICS_PORT is
 * set, and always written into each pass's summary log line (`totals`).
 */
export class UpdateMetrics {
  readonly registry = new Registry();
  private readonly totals = new Map<string, Partial<Record<SourceOutcome, number>>>();
  private readonly checks = new Counter({
    name: 'sekimori_list_update_checks_total',
    help: 'List source checks by list and outcome (published, unchanged, not-modified, rejected, older, failed, announce-failed)',
    labelNames: ['list', 'outcome'],
    registers: [this.registry],
  });
  private readonly lastGood = new Gauge({
    name: 'sekimori_list_update_last_success_timestamp_seconds',
    help: 'When the list source was last checked with success (published, unchanged or not modified)',
    labelNames: ['list'],
    registers: [this.registry],
  });
  private readonly bytes = new Counter({
    name: 'sekimori_list_update_downloaded_bytes_total',
    help: 'Bytes downloaded from the list source',
    labelNames: ['list'],
    registers: [this.registry],
  });

  record(report: SourceReport, at: Date): void {
    this.checks.inc({ list: report.listId, outcome: report.outcome });
    if (report.bytes) this.bytes.inc({ list: report.listId }, report.bytes);
    if (isSuccess(report.outcome)) this.lastGood.set({ list: report.listId }, at.getTime() / 1000);
    const forList = this.totals.get(report.listId) ?? {};
    forList[report.outcome] = (forList[report.outcome] ?? 0) + 1;
    this.totals.set(report.listId, forList);
  }

  /** Counts since the process started, per list and outcome (for the log). */
  snapshot(): Record<string, Partial<Record<SourceOutcome, number>>> {
    return Object.fromEntries(this.totals);
  }

  /** Serves GET /metrics; resolves with the server once it listens (port 0: any free port). */
  listen(host: string, port: number): Promise<Server> {
    const server = createServer((request, response) => {
      if (request.method !== 'GET' || request.url !== '/metrics') {
        response.writeHead(404).end();
        return;
      }
      this.registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': this.registry.contentType }).end(text),
        () => response.writeHead(500).end(),
      );
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve(server));
    });
  }
}

export function isSuccess(outcome: SourceOutcome): boolean {
  return outcome === 'published' || outcome === 'unchanged' || outcome === 'not-modified';
}
