import { consumedTotals, logLines } from './screener-log';

const LOG = [
  '{"level":30,"time":"2026-11-30T08:00:00.000Z","msg":"re-screen started","listVersion":"v2"}',
  'not json',
  '{"level":30,"time":"2026-11-30T08:00:01.000Z","msg":"throughput","totals":{"events":120}}',
  '{"level":30,"time":"2026-11-30T08:00:02.000Z","msg":"throughput","totals":{"events":480,"batches":6}}',
  '{"level":30,"time":"2026-11-30T08:00:09.500Z","msg":"re-screen finished","scanned":10,"matched":1}',
  '{"level":30,"time":"2026-11-30T08:00:10.000Z","msg":"throughp',
].join('\n');

describe('screener log lines', () => {
  it('finds the lines of one message with their time and fields', () => {
    const [started] = logLines(LOG, 're-screen started');
    const [finished] = logLines(LOG, 're-screen finished');
    expect(finished.time - started.time).toBe(9_500);
    expect(finished.fields).toMatchObject({ scanned: 10, matched: 1 });
    expect(logLines(LOG)).toHaveLength(4);
  });

  it('reads the consumed total from the last complete throughput line', () => {
    expect(consumedTotals(LOG)).toEqual({ events: 480, batches: 6 });
    expect(consumedTotals('')).toEqual({ events: 0, batches: 0 });
  });
});
