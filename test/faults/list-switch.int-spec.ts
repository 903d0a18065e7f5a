import type { Alert } from '@sekimori/contracts';
import { type DeliveryMode, FaultRun, expectNothingLost } from '../support/faults';
import { excerptListWithAddition, publishList } from '../support/lists';
import { writeReliabilityTable } from './write-reliability-table';

jest.setTimeout(180_000);

const MODES: DeliveryMode[] = ['at-least-once', 'exactly-once'];

describe.each(MODES)('a list version switched mid-stream (%s)', (mode) => {
  let run: FaultRun;

  afterEach(async () => {
    await run?.tearDown();
  });

  afterAll(() => writeReliabilityTable());

  it('loses no lookup: every listed transfer alerts, under the old version or the new', async () => {
    run = await new FaultRun({ scenario: 'list version switched mid-stream', mode }).setUp();
    const total = run.stream.length;
    await run.startScreener();
    const producing = run.produceUntil(total, 25, 10);
    await run.waitForAlertCount(Math.floor(run.expectedAlerts.length * 0.3));
    const next = await publishList(
      run.redisUrl,
      run.prefix,
      await excerptListWithAddition(run.groupId),
    );
    await producing;
    await run.waitForCompletion();

    const byVersion = new Map<string, number>();
    for (const alert of run.alerts.json<Alert>()) {
      byVersion.set(alert.listVersion, (byVersion.get(alert.listVersion) ?? 0) + 1);
    }
    const old = [...byVersion]
      .filter(([v]) => v.includes(run.listVersion))
      .reduce((n, [, c]) => n + c, 0);
    const fresh = [...byVersion].filter(([v]) => v.includes(next)).reduce((n, [, c]) => n + c, 0);
    run.notes.push(`${old} alerts under the old version, ${fresh} under the new`);
    const row = await run.finish();

    expect(next).not.toBe(run.listVersion);
    expect(old + fresh).toBe(run.alerts.messages.length);
    expect(fresh).toBeGreaterThan(0);
    expectNothingLost(row, { noDuplicates: true });
  });
});
