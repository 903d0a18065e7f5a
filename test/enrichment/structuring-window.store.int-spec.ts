import { crossesThreshold, type StructuringState } from '@sekimori/rules';
import { keysMatching } from '@sekimori/redis';
import type { StructuringItem } from '@sekimori/screening';
import { StructuringWindowStore, EnrichmentKeys } from '@sekimori/screening-redis';
import { redisClient, redisPerTest } from '../support/redis';

const THRESHOLD = '30000000';
const DAY = 86_400_000;
const T0 = Date.parse('2026-03-01T00:00:00Z');
const at = (ms: number): string => new Date(ms).toISOString();

let seq = 0;
function item(
  accountId: string,
  offsetMs: number,
  valueJpy: string,
  eventId?: string,
): StructuringItem {
  seq += 1;
  return { accountId, eventId: eventId ?? `ev-${seq}`, occurredAt: at(T0 + offsetMs), valueJpy };
}

const sums = (s: StructuringState | undefined): [string, string] | undefined =>
  s && [s.windowSumBeforeJpy, s.windowSumAfterJpy];

describe('StructuringWindowStore on the real Redis', () => {
  const db = redisPerTest();
  let store: StructuringWindowStore;
  beforeEach(() => {
    store = new StructuringWindowStore(db.redis, db.prefix, 7);
  });

  async function one(i: StructuringItem): Promise<StructuringState> {
    const state = (await store.record([i])).get(i.eventId);
    if (!state) throw new Error(`no state for ${i.eventId}`);
    return state;
  }

  it('the 7-day edge: a transfer exactly 7 days older has left the window, 1 ms less has not', async () => {
    await one(item('inside', 0, '20000000'));
    const inside = await one(item('inside', 7 * DAY - 1, '15000000'));
    expect(sums(inside)).toEqual(['20000000', '35000000']);
    expect(inside.windowDays).toBe(7);
    expect(crossesThreshold(inside, THRESHOLD)).toBe(true);

    await one(item('edge', 0, '20000000'));
    const edge = await one(item('edge', 7 * DAY, '15000000'));
    expect(sums(edge)).toEqual(['0', '15000000']);
    expect(crossesThreshold(edge, THRESHOLD)).toBe(false);
  });

  it('one alert per crossing; again only after the sum fell back and crosses again', async () => {
    const steps: Array<[number, string, [string, string], boolean]> = [
      [0, '29000000', ['0', '29000000'], false],
      [1 * DAY, '2000000', ['29000000', '31000000'], true],
      [2 * DAY, '1000000', ['31000000', '32000000'], false],
      // Day 0 left the window: 3M in it.
      [7 * DAY, '1000000', ['3000000', '4000000'], false],
      // Day 1 left too: 1M (day 2) + 1M (day 7); reaching exactly ¥30M is not over.
      [8 * DAY, '28000000', ['2000000', '30000000'], false],
      [8 * DAY + 3_600_000, '0.01', ['30000000', '30000000.01'], true],
      [8 * DAY + 7_200_000, '5', ['30000000.01', '30000005.01'], false],
    ];
    const alerts: boolean[] = [];
    for (const [offset, value, expected, cross] of steps) {
      const state = await one(item('acct', offset, value));
      expect(sums(state)).toEqual(expected);
      alerts.push(crossesThreshold(state, THRESHOLD));
      expect(alerts[alerts.length - 1]).toBe(cross);
    }
    expect(alerts.filter(Boolean)).toHaveLength(2);
  });

  it('a replayed event is not counted twice and gets back its first state', async () => {
    await one(item('acct', 0, '29000000'));
    const crossing = item('acct', DAY, '2000000', 'ev-crossing');
    const first = await one(crossing);
    expect(sums(first)).toEqual(['29000000', '31000000']);
    await one(item('acct', 2 * DAY, '1000000'));

    // Redelivery after a crash between recording and publishing: same state, same alert.
    const again = await one(crossing);
    expect(again).toEqual(first);
    expect(crossesThreshold(again, THRESHOLD)).toBe(true);
    // And the window did not grow: the next transfer sees 29M + 2M + 1M.
    expect(sums(await one(item('acct', 3 * DAY, '1')))).toEqual(['32000000', '32000001']);
  });

  it('a duplicate inside one batch counts once', async () => {
    const dup = item('acct', 0, '10000000', 'ev-dup');
    const states = await store.record([dup, item('acct', 1, '5'), dup]);
    expect(sums(states.get('ev-dup'))).toEqual(['0', '10000000']);
    expect(sums(await one(item('acct', 2, '1')))).toEqual(['10000005', '10000006']);
  });

  it('a batch spans accounts, and one account sees its own earlier items of the batch', async () => {
    const batch = [
      item('a', 0, '1'),
      item('b', 0, '100'),
      item('a', 1, '2'),
      item('b', 1, '200'),
      item('a', 2, '3'),
    ];
    const states = await store.record(batch);
    expect(batch.map((i) => sums(states.get(i.eventId)))).toEqual([
      ['0', '1'],
      ['0', '100'],
      ['1', '3'],
      ['100', '300'],
      ['3', '6'],
    ]);
  });

  it('a late (out-of-order) event is judged on its week plus the newer transfers already counted', async () => {
    await one(item('acct', 0, '1000'));
    await one(item('acct', 5 * DAY, '50'));
    const late = await one(item('acct', 2 * DAY, '7'));
    expect(sums(late)).toEqual(['1050', '1057']);
    // The next in-order event (day 8) no longer sees day 0, but sees the late day-2 transfer.
    expect(sums(await one(item('acct', 8 * DAY, '1')))).toEqual(['57', '58']);
  });

  it('out-of-order arrival cannot raise two alerts for one crossing', async () => {
    await one(item('acct', 0, '29500000'));
    const earlier = item('acct', 10, '400000');
    const later = item('acct', 20, '400000');
    const first = await one(later);
    const second = await one(earlier);
    expect(sums(first)).toEqual(['29500000', '29900000']);
    expect(sums(second)).toEqual(['29900000', '30300000']);
    expect([first, second].filter((s) => crossesThreshold(s, THRESHOLD))).toHaveLength(1);
  });

  it('a transfer pruned by a later event is not seen by an event more than a window late', async () => {
    await one(item('acct', 0, '1000'));
    await one(item('acct', 10 * DAY, '50'));
    expect(sums(await one(item('acct', 2 * DAY, '7')))).toEqual(['50', '57']);
  });

  it('sums exactly in sen, rounding sub-sen values up', async () => {
    expect(sums(await one(item('acct', 0, '0.001')))).toEqual(['0', '0.01']);
    expect(sums(await one(item('acct', 1, '12345678.995')))).toEqual(['0.01', '12345679.01']);
    expect(sums(await one(item('acct', 2, '0.1')))).toEqual(['12345679.01', '12345679.11']);
  });

  it('sums 2,000 items of ¥29,999,999.99 exactly in one call', async () => {
    const batch = Array.from({ length: 2000 }, (_, i) => item('whale', i, '29999999.99'));
    const states = await store.record(batch);
    const last = states.get(batch[batch.length - 1].eventId);
    expect(sums(last)).toEqual(['59969999980.01', '59999999980']);
    expect(await db.redis.zcard(new EnrichmentKeys(db.prefix).windowEvents('whale'))).toBe(2000);
  });

  it('keeps every digit of sums with 15 or more digits in sen (Lua tostring would print 2e+14)', async () => {
    await one(item('big', 0, '1000000000000.01'));
    expect(sums(await one(item('big', 1, '1000000000000')))).toEqual([
      '1000000000000.01',
      '2000000000000.01',
    ]);
  });

  it('refuses a window sum that would reach 2^53 sen instead of rounding it', async () => {
    await one(item('huge', 0, '50000000000000'));
    await expect(one(item('huge', 1, '50000000000000'))).rejects.toThrow('2^53');
  });

  it('rebuilds a lost running total from the window values', async () => {
    await one(item('acct', 0, '100'));
    await one(item('acct', 1, '200'));
    await db.redis.del(new EnrichmentKeys(db.prefix).windowTotal('acct'));
    expect(sums(await one(item('acct', 2, '300')))).toEqual(['300', '600']);
  });

  it('prunes entries that left the window and sets TTLs on every key', async () => {
    const keys = new EnrichmentKeys(db.prefix);
    const old = item('acct', 0, '1');
    await one(old);
    await one(item('acct', 8 * DAY, '2', 'ev-new'));
    expect(await db.redis.zrange(keys.windowEvents('acct'), 0, -1)).toEqual(['ev-new']);
    expect(await db.redis.hkeys(keys.windowValues('acct'))).toEqual(['ev-new']);
    expect(await db.redis.get(keys.windowTotal('acct'))).toBe('200');
    for (const key of [
      keys.windowEvents('acct'),
      keys.windowValues('acct'),
      keys.windowTotal('acct'),
      keys.windowResult('ev-new'),
    ]) {
      expect(await db.redis.pttl(key)).toBeGreaterThan(7 * DAY);
    }
    expect(await db.redis.pttl(keys.windowResult('ev-new'))).toBeGreaterThan(13 * DAY);
    const all = await keysMatching(db.redis, `*${db.prefix}*`);
    expect(all.every((k) => k.startsWith(`{${db.prefix}:structuring}:`))).toBe(true);
  });

  it('two screeners share one window, also when recording concurrently', async () => {
    const otherClient = redisClient();
    try {
      const a = store;
      const b = new StructuringWindowStore(otherClient, db.prefix, 7);
      await a.record([item('shared', 0, '10000000')]);
      expect(sums((await b.record([item('shared', 1, '10000000', 'ev-b')])).get('ev-b'))).toEqual([
        '10000000',
        '20000000',
      ]);

      // 40 transfers of ¥1M, split across both instances and in flight at once: every one is
      // counted exactly once and exactly one of them crosses ¥30M.
      const batch = Array.from({ length: 40 }, (_, i) => item('shared', 2 + i, '1000000'));
      const results = await Promise.all(batch.map((it, i) => (i % 2 === 0 ? a : b).record([it])));
      const states = results.map((m, i) => m.get(batch[i].eventId) as StructuringState);
      expect(states.filter((s) => crossesThreshold(s, THRESHOLD))).toHaveLength(1);
      const afters = states.map((s) => Number(s.windowSumAfterJpy)).sort((x, y) => x - y);
      expect(afters[0]).toBe(21_000_000);
      expect(afters[afters.length - 1]).toBe(60_000_000);
      expect(new Set(afters).size).toBe(40);

      // A restarted screener (a new store on a new connection) sees the same window.
      const restarted = new StructuringWindowStore(otherClient, db.prefix, 7);
      expect(
        sums((await restarted.record([item('shared', 100, '1', 'ev-r')])).get('ev-r')),
      ).toEqual(['60000000', '60000001']);
    } finally {
      await otherClient.quit();
    }
  });

  it('an empty batch makes no call', async () => {
    expect((await store.record([])).size).toBe(0);
  });
});
