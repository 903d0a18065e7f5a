import { waitFor } from '../support/env';
import { type DeliveryMode, FaultRun, expectNothingLost } from '../support/faults';
import { IsolatedBroker } from '../support/isolated';
import { writeReliabilityTable } from './write-reliability-table';

jest.setTimeout(300_000);

const MODES: DeliveryMode[] = ['at-least-once', 'exactly-once'];

describe('the broker killed (SIGKILL) and restarted mid-stream', () => {
  // Its own broker (own STACK_DIR, own ports): stopping the shared one on 9092 would break every
  // other test running at the same time.
  let broker: IsolatedBroker;
  let run: FaultRun | null = null;

  beforeAll(async () => {
    broker = await IsolatedBroker.create();
    await broker.start();
  });

  afterEach(async () => {
    await run?.tearDown();
    run = null;
  });

  afterAll(async () => {
    await broker?.destroy();
    writeReliabilityTable();
  });

  it.each(MODES)('%s: the screener holds its batch, then completes the stream', async (mode) => {
    run = await new FaultRun({
      scenario: 'broker killed and restarted',
      mode,
      kafkaEnv: broker.kafkaEnv(),
    }).setUp();
    const current = run;
    const total = run.stream.length;
    const screener = await run.startScreener();
    await run.produceUntil(total * 0.2);
    await run.waitForAlertCount(Math.floor(run.expectedAlerts.length * 0.1));
    // A backlog, then the broker gone at once (SIGKILL): the screener is inside a batch.
    await run.produceUntil(total * 0.7, 200, 0);
    const fromLog = screener.logs.length;
    const down = Date.now();
    await broker.kill();
    const alertsAtStop = run.alertedEventIds().size;
    // The screener notices (kafkajs reports the lost connection) and stays alive.
    await waitFor(
      'the screener to notice the broker is gone',
      () => screener.logs.slice(fromLog).some((l) => l.component === 'kafkajs'),
      30_000,
    ).catch(() => undefined);
    await broker.start();
    const outageMs = Date.now() - down;
    expect(screener.running).toBe(true);

    await run.produceRest();
    await run.waitForCompletion(150_000);
    const held = screener.logs.slice(fromLog).filter((l) => String(l.msg).startsWith('batch held'));
    const crashes = screener.logs.slice(fromLog).filter((l) => l.msg === 'consumer crashed');
    current.notes.push(
      `broker SIGKILLed, back after ${Math.round(outageMs / 1000)} s, with ${alertsAtStop} of ${current.expectedAlerts.length} alerts out; ${held.length} held retries, ${crashes.length} consumer crash/restart`,
    );
    const row = await run.finish();

    expect(screener.running).toBe(true);
    expectNothingLost(row, { noDuplicates: mode === 'exactly-once' });
  });
});
