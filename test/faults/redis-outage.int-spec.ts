import type { Alert } from '@sekimori/contracts';
import { waitFor } from '../support/env';
import { type DeliveryMode, FaultRun, expectNothingLost } from '../support/faults';
import { IsolatedRedis } from '../support/isolated';
import { excerptList, publishList } from '../support/lists';
import { writeReliabilityTable } from './write-reliability-table';

jest.setTimeout(180_000);

const MODES: DeliveryMode[] = ['at-least-once', 'exactly-once'];

describe.each(MODES)('Redis stopped, restarted empty, list reloaded (%s)', (mode) => {
  let redis: IsolatedRedis;
  let run: FaultRun;

  beforeEach(async () => {
    // Its own redis-server: stopping the shared one would break every other test running now.
    redis = await IsolatedRedis.start();
  });

  afterEach(async () => {
    await run?.tearDown();
    await redis.stop();
  });

  afterAll(() => writeReliabilityTable());

  it('pauses while Redis or the list is missing, screens nothing meanwhile, then completes', async () => {
    run = await new FaultRun({
      scenario: 'Redis stopped, restarted empty, list reloaded',
      mode,
      redisUrl: redis.url,
    }).setUp();
    const total = run.stream.length;
    const screener = await run.startScreener();
    await run.produceUntil(total * 0.3);
    await run.waitForAlertsOfProduced();

    await redis.stop();
    const alertsBefore = run.alerts.messages.length;
    const committedBefore = await run.committedTotal();
    const fromLog = screener.logs.length;
    await run.produceUntil(total * 0.7);
    await screener.waitForLog(
      'screening paused',
      (l) => String(l.msg).startsWith('screening paused') && l.reason === 'REDIS_UNAVAILABLE',
      30_000,
      fromLog,
    );
    // Held, not skipped: the batch keeps being retried while Redis is away.
    await waitFor(
      'three held retries',
      () =>
        screener.logs.slice(fromLog).filter((l) => String(l.msg).startsWith('batch held')).length >=
        3,
      30_000,
    );

    // Back, but empty (no persistence): the list is missing, and screening must stay paused.
    await redis.start();
    const fromRestart = screener.logs.length;
    await screener.waitForLog(
      'a batch held for the missing list',
      (l) => String(l.msg).startsWith('batch held') && l.code === 'LIST_MISSING',
      30_000,
      fromRestart,
    );
    expect(run.alerts.messages.length).toBe(alertsBefore);
    expect(await run.committedTotal()).toBe(committedBefore);

    await publishList(redis.url, run.prefix, await excerptList());
    await screener.waitForLog(
      'screening resumed',
      (l) => l.msg === 'screening resumed',
      30_000,
      fromRestart,
    );
    await run.produceRest();
    await run.waitForCompletion();
    const held = screener.logs.filter((l) => String(l.msg).startsWith('batch held'));
    run.notes.push(
      `${held.filter((l) => l.code === 'REDIS_UNAVAILABLE').length} retries while Redis was down, ${held.filter((l) => l.code === 'LIST_MISSING').length} while the list was missing; no alert and no commit meanwhile`,
    );
    const row = await run.finish();

    // Every alert was screened against a loaded list.
    expect(run.alerts.json<Alert>().every((a) => a.listVersion.includes(run.listVersion))).toBe(
      true,
    );
    expectNothingLost(row, { noDuplicates: true });
  });
});
