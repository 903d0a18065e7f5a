import type { Logger } from 'pino';
import type { ScreeningMetrics } from './screening-metrics';

/** A periodic line for operators: how much went through since the last one. */
export function startThroughputLog(
  metrics: ScreeningMetrics,
  log: Logger,
  intervalMs: number,
): () => void {
  let last = { ...metrics.totals };
  let lastAt = Date.now();
  const timer = setInterval(() => {
    const now = Date.now();
    const totals = { ...metrics.totals };
    const seconds = (now - lastAt) / 1000;
    const events = totals.events - last.events;
    log.info(
      {
        intervalSeconds: Math.round(seconds),
        events,
        eventsPerSecond: Math.round(events / seconds),
        alerts: totals.alerts - last.alerts,
        deadLetters: totals.deadLetters - last.deadLetters,
        batches: totals.batches - last.batches,
        paused: metrics.isPaused,
        totals,
      },
      'throughput',
    );
    last = totals;
    lastAt = now;
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
