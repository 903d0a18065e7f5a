import { type DeliveryMode, FaultRun, expectNothingLost } from '../support/faults';
import { writeReliabilityTable } from './write-reliability-table';

jest.setTimeout(180_000);

const MODES: DeliveryMode[] = ['at-least-once', 'exactly-once'];
const SHUTDOWN_TIMEOUT_MS = 10_000;

describe.each(MODES)('SIGTERM mid-stream, then a restart (%s)', (mode) => {
  let run: FaultRun;

  afterEach(async () => {
    await run?.tearDown();
  });

  afterAll(() => writeReliabilityTable());

  it('exits 0 within the shutdown timeout, and the restart neither loses nor repeats an alert', async () => {
    run = await new FaultRun({ scenario: 'SIGTERM mid-stream, restart', mode }).setUp();
    const total = run.stream.length;
    const first = await run.startScreener({ SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) });
    await run.produceUntil(total * 0.3);
    await run.waitForAlertCount(Math.floor(run.expectedAlerts.length * 0.15));
    const burst = run.produceUntil(total * 0.7, 200, 0);
    const stopped = await run.interrupt(first, 'SIGTERM', SHUTDOWN_TIMEOUT_MS + 5_000);
    await burst;
    run.notes.push(
      `SIGTERM with ${run.alertedEventIds().size} of ${run.expectedAlerts.length} alerts out; exit ${stopped.code} after ${stopped.exitMs} ms`,
    );
    expect(stopped.code).toBe(0);
    expect(stopped.exitMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    expect(first.logsWith('stopped cleanly')).toHaveLength(1);

    await run.startScreener();
    await run.produceRest();
    await run.waitForCompletion();
    const row = await run.finish();

    expectNothingLost(row, { noDuplicates: true });
  });
});
