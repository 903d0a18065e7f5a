import { type DeliveryMode, FaultRun, expectNothingLost } from '../support/faults';
import { writeReliabilityTable } from './write-reliability-table';

jest.setTimeout(180_000);

const MODES: DeliveryMode[] = ['at-least-once', 'exactly-once'];

describe.each(MODES)('screener SIGKILLed mid-batch and restarted (%s)', (mode) => {
  let run: FaultRun;

  afterEach(async () => {
    await run?.tearDown();
  });

  afterAll(() => writeReliabilityTable());

  it('loses no alert, and in exactly-once mode repeats none under read_committed', async () => {
    run = await new FaultRun({ scenario: 'SIGKILL mid-batch, restart', mode }).setUp();
    const total = run.stream.length;
    const first = await run.startScreener();
    await run.produceUntil(total * 0.3);
    await run.waitForAlertCount(Math.floor(run.expectedAlerts.length * 0.15));
    // A backlog, so the kill lands inside a batch.
    const burst = run.produceUntil(total * 0.7, 200, 0);
    const killed = await run.interrupt(first, 'SIGKILL');
    await burst;
    run.notes.push(
      `killed with ${run.alertedEventIds().size} of ${run.expectedAlerts.length} alerts out${killed.onAlertLog ? ', on an alert log line' : ''}`,
    );

    await run.startScreener();
    await run.produceRest();
    await run.waitForCompletion();
    const row = await run.finish();
    if (row.duplicates > 0) console.log(JSON.stringify(run.duplicateCopies().slice(0, 5), null, 1));

    expectNothingLost(row, { noDuplicates: mode === 'exactly-once' });
  });
});
