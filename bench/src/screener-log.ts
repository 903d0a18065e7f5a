/** One JSON line of a screener's log (pino), with the fields the phases read. */
export interface LogLine {
  time: number;
  msg: string;
  fields: Record<string, unknown>;
}

/** The JSON lines of a log with `msg` (all of them when `msg` is omitted), in order. */
export function logLines(text: string, msg?: string): LogLine[] {
  const out: LogLine[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{') || (msg !== undefined && !line.includes(`"msg":"${msg}"`))) continue;
    try {
      const fields = JSON.parse(line) as Record<string, unknown>;
      const time = typeof fields.time === 'number' ? fields.time : Date.parse(String(fields.time));
      if (typeof fields.msg === 'string' && (msg === undefined || fields.msg === msg)) {
        out.push({ time, msg: fields.msg, fields });
      }
    } catch {
      // a line cut short while the process writes it
    }
  }
  return out;
}

/** Events and batches the screener consumed in all, from its last periodic `throughput` line. */
export function consumedTotals(text: string): { events: number; batches: number } {
  const lines = logLines(text, 'throughput');
  const totals = lines[lines.length - 1]?.fields.totals as
    { events?: number; batches?: number } | undefined;
  return { events: totals?.events ?? 0, batches: totals?.batches ?? 0 };
}
