import { ListKeys, SanctionsListStore } from '@sekimori/list-store';
import { join } from 'node:path';
import { waitFor } from '../support/env';
import { json, loadListWithCli, onchainTransfer } from '../support/fixtures';
import { produce } from '../support/kafka';
import { screenerFixture } from '../support/screener-fixture';
import { ROOT } from '../support/screener-process';
import { httpGet, httpPortOf, metricValue } from './http-probe';

jest.setTimeout(180_000);

// The real OFAC excerpt (8 parties, Garantex among them): loads in a second, unlike the full list.
const EXCERPT = join(ROOT, 'test', 'fixtures', 'lists', 'ok', 'sdn-advanced-excerpt.xml');
const GARANTEX_ETH = '0x7FF9cFad3877F21d41Da833E2F775dB0569eE3D9';

interface Readiness {
  status: string;
  reasons: string[];
  details: Record<string, { status: string } & Record<string, unknown>>;
}

describe('/health and /metrics of the running screener', () => {
  // One partition: the lag metric below is read for partition 0.
  const world = screenerFixture({ partitions: 1 });
  const { redis } = world;

  const prefixWithList = () => world.prefixWithList(EXCERPT);

  /** Starts the screener on `prefix`; its HTTP port. */
  async function start(prefix: string, env: Record<string, string> = {}): Promise<number> {
    return httpPortOf(await world.start(prefix, env));
  }

  it('is live, and ready with every check up when a list is loaded', async () => {
    const prefix = await prefixWithList();
    const port = await start(prefix);

    const live = await httpGet<{ status: string; pid: number }>(port, '/health/live');
    expect(live.status).toBe(200);
    expect(live.body).toMatchObject({ status: 'ok' });

    for (const path of ['/health', '/health/ready']) {
      const ready = await httpGet<Readiness>(port, path);
      expect({ path, status: ready.status }).toEqual({ path, status: 200 });
      expect(ready.body.status).toBe('ok');
      expect(ready.body.reasons).toEqual([]);
      expect(ready.body.details.kafka).toMatchObject({ status: 'up', brokers: 1 });
      expect(ready.body.details.consumer).toMatchObject({
        status: 'up',
        running: true,
        paused: false,
      });
      expect(ready.body.details.redis).toMatchObject({ status: 'up' });
      expect(ready.body.details.sanctionsList).toMatchObject({
        status: 'up',
        stale: false,
        maxAgeHours: 72,
        lists: [expect.objectContaining({ listId: 'ofac-sdn', issuedAt: '2025-11-19' })],
      });
      const [list] = ready.body.details.sanctionsList.lists as Array<{
        version: string;
        ageHours: number;
      }>;
      expect(list.version).toMatch(/^[0-9a-f]{16}$/);
      expect(list.ageHours).toBeLessThan(1);
    }
  });

  it('is not ready, and says why, while no list is loaded; pauses on the first event and becomes ready once a list is loaded', async () => {
    const prefix = world.prefix();
    const port = await start(prefix);

    const before = await httpGet<Readiness>(port, '/health/ready');
    expect(before.status).toBe(503);
    expect(before.body.status).toBe('error');
    expect(before.body.details.sanctionsList.status).toBe('down');
    expect(before.body.reasons.join(' ')).toMatch(/no sanctions list is loaded/);
    expect(before.body.reasons.join(' ')).toContain(prefix);
    // Liveness is not readiness: nothing a restart would cure.
    expect((await httpGet(port, '/health/live')).status).toBe(200);

    const alerts = await world.collect(world.topics.alerts);
    const event = onchainTransfer({ to: GARANTEX_ETH });
    await produce(world.topics.onchain, [{ key: 'k', value: json(event) }]);
    const paused = await waitFor(
      'the consumer to report the held batch',
      async () => {
        const r = await httpGet<Readiness>(port, '/health');
        return r.body.details.consumer?.paused === true ? r : undefined;
      },
      30_000,
      200,
    );
    expect(paused.status).toBe(503);
    expect(paused.body.details.consumer).toMatchObject({
      status: 'down',
      pausedReason: 'LIST_MISSING',
    });
    expect(paused.body.reasons.join(' ')).toMatch(/paused/);
    const metrics = await httpGet(port, '/metrics');
    expect(metricValue(metrics.text, 'sekimori_screening_paused')).toBe(1);
    expect(world.screener!.logs.some((l) => l.msg === 'health: error')).toBe(true);

    await loadListWithCli(prefix, EXCERPT);
    await alerts.waitForCount(1);
    const after = await waitFor(
      'readiness after the list load',
      async () => {
        const r = await httpGet<Readiness>(port, '/health/ready');
        return r.status === 200 ? r : undefined;
      },
      30_000,
      200,
    );
    expect(after.body.status).toBe('ok');
    expect(alerts.json()[0]).toMatchObject({ eventId: event.eventId });
    expect(metricValue((await httpGet(port, '/metrics')).text, 'sekimori_screening_paused')).toBe(
      0,
    );
  });

  it('reports degraded (HTTP 200) and warns in the log when the list source was not checked within LIST_MAX_AGE_HOURS', async () => {
    const prefix = await prefixWithList();
    // Age the loaded version as if it had been loaded, and its source last checked, 3 hours ago.
    const store = new SanctionsListStore(redis, prefix);
    const [meta] = await store.currentVersions();
    const threeHoursAgo = new Date(Date.now() - 3 * 3_600_000).toISOString();
    await redis.hset(new ListKeys(prefix).meta(meta.listId, meta.version), {
      loadedAt: threeHoursAgo,
      checkedAt: threeHoursAgo,
    });

    const port = await start(prefix, { LIST_MAX_AGE_HOURS: '1' });
    await world.screener!.waitForLog('the stale-list warning', (l) =>
      String(l.msg).startsWith('sanctions list source not checked within LIST_MAX_AGE_HOURS'),
    );

    const ready = await httpGet<Readiness>(port, '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('degraded');
    expect(ready.body.details.sanctionsList).toMatchObject({
      status: 'up',
      stale: true,
      maxAgeHours: 1,
    });
    expect(ready.body.details.sanctionsList.oldestAgeHours as number).toBeGreaterThanOrEqual(3);
    expect(ready.body.reasons.join(' ')).toMatch(/LIST_MAX_AGE_HOURS=1/);
    await world.screener!.waitForLog(
      'the degraded transition',
      (l) => l.msg === 'health: degraded',
    );

    const metrics = await httpGet(port, '/metrics');
    expect(metricValue(metrics.text, 'sekimori_list_stale')).toBe(1);
    expect(
      metricValue(metrics.text, 'sekimori_list_age_seconds', { list: 'ofac-sdn' }),
    ).toBeGreaterThanOrEqual(3 * 3600);
    expect(
      metricValue(metrics.text, 'sekimori_list_source_checked_age_seconds', { list: 'ofac-sdn' }),
    ).toBeGreaterThanOrEqual(3 * 3600);
    expect(
      metricValue(metrics.text, 'sekimori_list_issued_timestamp_seconds', { list: 'ofac-sdn' }),
    ).toBe(Date.parse('2025-11-19') / 1000);

    // Still screening: a stale list is used, not dropped.
    const alerts = await world.collect(world.topics.alerts);
    await produce(world.topics.onchain, [
      { key: 'k', value: json(onchainTransfer({ to: GARANTEX_ETH })) },
    ]);
    await alerts.waitForCount(1);
  });

  it('counts events by topic, alerts by rule, dead letters by code, batches and lag on /metrics', async () => {
    const prefix = await prefixWithList();
    const port = await start(prefix);
    const alerts = await world.collect(world.topics.alerts);
    const dlq = await world.collect(world.topics.deadLetters);

    await produce(world.topics.onchain, [
      { key: 'a', value: json(onchainTransfer({ to: GARANTEX_ETH })) },
      { key: 'a', value: json(onchainTransfer({ to: GARANTEX_ETH.toLowerCase() })) },
      { key: 'a', value: json(onchainTransfer()) },
      { key: 'a', value: Buffer.from('{"type":') },
      { key: 'a', value: json(onchainTransfer({ chain: 'dogecoin' })) },
      { key: 'a', value: json([1, 2]) },
    ]);
    await alerts.waitForCount(2);
    await dlq.waitForCount(3);

    const metrics = await waitFor(
      'the metrics to show every event',
      async () => {
        const m = await httpGet(port, '/metrics');
        const events = metricValue(m.text, 'sekimori_events_in_total', {
          topic: world.topics.onchain,
        });
        return events !== undefined && events >= 6 ? m : undefined;
      },
      20_000,
      200,
    );
    expect(metrics.status).toBe(200);
    // A held and retried batch is counted once per attempt (see docs/operations.md); say so
    // plainly if that is why the exact counts below differ.
    expect(world.screener!.logsWith('batch held, will retry')).toEqual([]);
    expect(metrics.contentType).toMatch(/^text\/plain;.*version=0\.0\.4/);
    const value = (name: string, labels?: Record<string, string>) =>
      metricValue(metrics.text, name, labels);
    expect(value('sekimori_events_in_total', { topic: world.topics.onchain })).toBe(6);
    expect(value('sekimori_alerts_total', { rule: 'SANCTIONS_ADDRESS_MATCH' })).toBe(2);
    expect(value('sekimori_dead_letters_total', { code: 'INVALID_JSON' })).toBe(1);
    expect(value('sekimori_dead_letters_total', { code: 'UNSUPPORTED_CHAIN' })).toBe(1);
    expect(value('sekimori_dead_letters_total', { code: 'SCHEMA_VIOLATION' })).toBe(1);
    expect(value('sekimori_batch_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(value('sekimori_consumer_lag', { topic: world.topics.onchain, partition: '0' })).toBe(0);
    expect(value('sekimori_screening_paused')).toBe(0);
    expect(value('sekimori_list_stale')).toBe(0);
    expect(value('sekimori_list_info', { list: 'ofac-sdn', issued_at: '2025-11-19' })).toBe(1);
    expect(value('sekimori_list_age_seconds', { list: 'ofac-sdn' })).toBeLessThan(3600);
    expect(value('process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(value('nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(metrics.text).not.toMatch(/^sekimori_(process|nodejs)_/m);
    expect(value('sekimori_build_info', { node: process.version })).toBe(1);
  });
});
