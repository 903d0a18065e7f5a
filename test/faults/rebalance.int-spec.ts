import { type DeliveryMode, FaultRun, expectNothingLost } from '../support/faults';
import { writeReliabilityTable } from './write-reliability-table';

jest.setTimeout(180_000);

const MODES: DeliveryMode[] = ['at-least-once', 'exactly-once'];

describe.each(MODES)('two screeners in one group, one SIGKILLed (%s)', (mode) => {
  let run: FaultRun;

  afterEach(async () => {
    await run?.tearDown();
  });

  afterAll(() => writeReliabilityTable());

  it('the survivor takes over the dead one’s partitions and finishes the stream', async () => {
    run = await new FaultRun({ scenario: 'two instances, one SIGKILLed', mode }).setUp();
    const total = run.stream.length;
    const a = await run.startScreener();
    const b = await run.startScreener();
    await run.produceUntil(total * 0.3);
    await run.waitForAlertCount(Math.floor(run.expectedAlerts.length * 0.15));
    const burst = run.produceUntil(total * 0.7, 200, 0);
    const { victim, onAlertLog } = await run.interruptBusiest([a, b], 'SIGKILL');
    const survivor = victim === a ? b : a;
    const joinsBefore = survivor.logsWith('joined consumer group').length;
    await burst;
    run.notes.push(
      `killed one with ${run.alertedEventIds().size} of ${run.expectedAlerts.length} alerts out${onAlertLog ? ', on an alert log line' : ''}`,
    );

    await run.produceRest();
    await run.waitForCompletion();
    const row = await run.finish();

    expect(survivor.running).toBe(true);
    // The survivor rejoined after the dead member's session ran out, and took its partitions.
    expect(survivor.logsWith('joined consumer group').length).toBeGreaterThan(joinsBefore);
    expectNothingLost(row, { noDuplicates: mode === 'exactly-once' });
  });
});
