import type { ExposureHop, ExposurePath } from '@sekimori/contracts';
import {
  appendRouting,
  decideRouting,
  mergePaths,
  type RoutingEntry,
  type RoutingLog,
  RulesConfig,
  validateRulesConfig,
} from '@sekimori/rules';
import type { RoutingItem } from '@sekimori/screening';
import { EnrichmentKeys, ExposureStore, RoutingStore } from '@sekimori/screening-redis';
import { redisPerTest } from '../support/redis';

const DAY_MS = 86_400_000;

function hop(eventId: string, patch: Partial<ExposureHop> = {}): ExposureHop {
  return {
    eventId,
    at: '2026-03-14T09:30:00Z',
    chain: 'ethereum',
    from: '0x7ff9cfad3877f21d41da833e2f775db0569ee3d9',
    to: '0x1111111111111111111111111111111111111111',
    asset: 'ETH',
    amount: '10',
    valueJpy: '5000000',
    ...patch,
  };
}

function path(...eventIds: string[]): ExposurePath {
  return {
    source: {
      chain: 'ethereum',
      address: '0x7ff9cfad3877f21d41da833e2f775db0569ee3d9',
      listId: 'ofac-sdn',
      listVersion: '2025-11-19',
      entityId: '36025',
      entityName: 'GARANTEX EUROPE OU',
      programs: ['CYBER4', 'RUSSIA-EO14024'],
    },
    hops: eventIds.map((id) => hop(id)),
    attributedAmount: '10',
    attributedJpy: '5000000',
    share: '1',
  };
}

describe('ExposureStore on the real Redis', () => {
  const db = redisPerTest();

  it('keeps paths per node, best first, the first value of a path, a TTL, and the cap as mergePaths does', async () => {
    const store = new ExposureStore(db.redis, db.prefix, 90, 2);
    const long = path('e1', 'e2', 'e3');
    const short = path('e9');
    const middle = path('e1', 'e5');
    await store.record(new Map([['evm:b', [long]]]));
    await store.record(new Map([['evm:b', [middle, short]]]));
    // A redelivery writes the same path with another value: the first stays.
    await store.record(new Map([['evm:b', [{ ...short, share: '0.5' }]]]));

    const got = await store.get(['evm:b', 'evm:none']);
    expect(got.has('evm:none')).toBe(false);
    expect(got.get('evm:b')).toEqual(mergePaths([], [long, middle, short], 2));
    expect(got.get('evm:b')?.map((p) => p.hops.length)).toEqual([1, 2]);
    expect(got.get('evm:b')?.[0].share).toBe('1');

    const key = new EnrichmentKeys(db.prefix).exposurePaths('evm:b');
    expect(await db.redis.pttl(key)).toBeGreaterThan(89 * DAY_MS);
  });

  it('a typical exposed address (one two-hop path) takes about 1.2 KB of Redis memory (docs/rules.md)', async () => {
    const store = new ExposureStore(db.redis, db.prefix, 90, 4);
    const ids = ['onchain-1234567890-abcdef-0001', 'onchain-1234567890-abcdef-0002'];
    await store.record(
      new Map([['evm:0x2222222222222222222222222222222222222222', [path(...ids)]]]),
    );
    const key = new EnrichmentKeys(db.prefix).exposurePaths(
      'evm:0x2222222222222222222222222222222222222222',
    );
    const bytes = Number(await db.redis.call('MEMORY', 'USAGE', key));
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThan(1536);
  });
});

describe('RoutingStore on the real Redis', () => {
  const db = redisPerTest();
  const config = new RulesConfig();

  const entry = (eventId: string, at: string, patch: Partial<RoutingEntry> = {}): RoutingEntry => ({
    eventId,
    kind: 'outflow',
    at,
    asset: 'ETH',
    amount: '9',
    valueJpy: '4500000',
    country: 'SG',
    vasp: 'SG Exchange',
    why: [],
    thirdCountry: true,
    foreignVasp: 'sg-ex',
    ...patch,
  });
  const inflow = entry('d1', '2026-03-15T10:00:00Z', {
    kind: 'inflow',
    amount: '9.5',
    valueJpy: '4750000',
    country: null,
    vasp: null,
    why: ['from an exposed address'],
    thirdCountry: false,
    foreignVasp: null,
  });
  const item = (e: RoutingEntry, accountId = 'acct-1'): RoutingItem => ({
    exchangeId: 'jp-ex',
    accountId,
    entry: e,
  });

  it('logs once per eventId: a redelivery gets its sequence number and its decision back', async () => {
    const store = new RoutingStore(db.redis, db.prefix, config);
    const w1 = entry('w1', '2026-03-16T09:00:00Z');
    const first = await store.record([
      item(inflow),
      item(w1),
      item(entry('x', '2026-03-15T00:00:00Z'), 'acct-2'),
    ]);
    const again = await store.record([item(w1), item(inflow)]);
    expect(first.get('d1')?.own.seq).toBe(1);
    expect(first.get('w1')?.own.seq).toBe(2);
    expect(first.get('x')?.own.seq).toBe(1);
    expect(again.get('w1')?.own).toEqual(first.get('w1')?.own);
    const decide = (r: typeof first, id: string) => {
      const got = r.get(id)!;
      return decideRouting(got.own, got.log, config).map((f) => f.pattern);
    };
    expect(decide(first, 'w1')).toEqual(['pass-through']);
    expect(decide(again, 'w1')).toEqual(['pass-through']);
    expect(decide(again, 'd1')).toEqual([]);
    const keys = new EnrichmentKeys(db.prefix);
    expect(await db.redis.hlen(keys.routingEntries('jp-ex', 'acct-1'))).toBe(2);
    expect(await db.redis.pttl(keys.routingTimes('jp-ex', 'acct-1'))).toBeGreaterThan(6 * DAY_MS);
  });

  it('prunes and caps as appendRouting does, and a preview writes nothing', async () => {
    const small = validateRulesConfig({ routingMaxEntriesPerAccount: 10 });
    const store = new RoutingStore(db.redis, db.prefix, small);
    const entries = [
      inflow,
      ...Array.from({ length: 12 }, (_, i) =>
        entry(`w${i}`, new Date(Date.parse('2026-03-16T00:00:00Z') + i * 3_600_000).toISOString()),
      ),
      entry('late', '2026-03-30T00:00:00Z'),
    ];
    let reference: RoutingLog = { nextSeq: 1, entries: [] };
    for (const e of entries) {
      await store.record([item(e)]);
      reference = appendRouting(reference, e, small).log;
    }
    const keys = new EnrichmentKeys(db.prefix);
    const stored = await db.redis.hkeys(keys.routingEntries('jp-ex', 'acct-1'));
    expect(stored.sort()).toEqual(reference.entries.map((e) => e.eventId).sort());

    const before = await db.redis.hgetall(keys.routingEntries('jp-ex', 'acct-1'));
    const preview = await store.preview([item(entry('new', '2026-03-30T01:00:00Z'))]);
    expect(preview.get('new')?.own.seq).toBe(entries.length + 1);
    expect(await db.redis.hgetall(keys.routingEntries('jp-ex', 'acct-1'))).toEqual(before);
  });
});
