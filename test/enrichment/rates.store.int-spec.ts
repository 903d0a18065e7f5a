import IORedis from 'ioredis';
import { keysMatching } from '@sekimori/redis';
import { type Rate, ScreeningUnavailableError } from '@sekimori/contracts';
import { EnrichmentKeys, RatesStore } from '@sekimori/screening-redis';
import { redisClient, redisPerTest } from '../support/redis';

const rate = (asset: string, jpy: string, at: string): Rate => ({ type: 'rate', asset, jpy, at });

describe('RatesStore on the real Redis', () => {
  const db = redisPerTest();
  let store: RatesStore;
  beforeEach(() => {
    store = new RatesStore(db.redis, db.prefix);
  });

  it('returns the latest rate of each asset that has one', async () => {
    await store.put(rate('BTC', '15234000.5', '2026-03-15T09:00:00Z'));
    await store.put(rate('ETH', '512000', '2026-03-15T09:00:00Z'));
    const got = await store.getMany(['BTC', 'ETH', 'XRP']);
    expect(got).toEqual(
      new Map([
        ['BTC', '15234000.5'],
        ['ETH', '512000'],
      ]),
    );
  });

  it('an older rate never overwrites a newer one (out of order)', async () => {
    expect(await store.put(rate('BTC', '16000000', '2026-03-15T10:00:00Z'))).toBe(true);
    expect(await store.put(rate('BTC', '15000000', '2026-03-15T09:00:00Z'))).toBe(false);
    expect((await store.getMany(['BTC'])).get('BTC')).toBe('16000000');
    expect(await store.put(rate('BTC', '17000000', '2026-03-15T11:00:00+09:00'))).toBe(false); // 02:00Z: older
    expect(await store.put(rate('BTC', '17000000', '2026-03-15T20:00:00+09:00'))).toBe(true); // 11:00Z: newer
    expect((await store.getMany(['BTC'])).get('BTC')).toBe('17000000');
  });

  it('a rate at the same time as the stored one is ignored (replays change nothing)', async () => {
    await store.put(rate('BTC', '16000000', '2026-03-15T10:00:00Z'));
    expect(await store.put(rate('BTC', '99', '2026-03-15T10:00:00.000Z'))).toBe(false);
    expect((await store.getMany(['BTC'])).get('BTC')).toBe('16000000');
  });

  it('putMany applies a batch in order, in one call, keeping the newest per asset', async () => {
    const kept = await store.putMany([
      rate('BTC', '2', '2026-03-15T10:00:02Z'),
      rate('BTC', '1', '2026-03-15T10:00:01Z'),
      rate('ETH', '5', '2026-03-15T10:00:00Z'),
      rate('BTC', '3', '2026-03-15T10:00:03Z'),
    ]);
    expect(kept).toBe(3);
    expect(await store.getMany(['BTC', 'ETH'])).toEqual(
      new Map([
        ['BTC', '3'],
        ['ETH', '5'],
      ]),
    );
  });

  it('two screeners writing concurrently end with the newest rate', async () => {
    const other = redisClient();
    try {
      const a = new RatesStore(db.redis, db.prefix);
      const b = new RatesStore(other, db.prefix);
      const minutes = Array.from({ length: 60 }, (_, i) => i);
      // Shuffled, split between the two instances, all in flight at once.
      const shuffled = [...minutes].sort(() => Math.random() - 0.5);
      await Promise.all(
        shuffled.map((m, i) =>
          (i % 2 === 0 ? a : b).put(
            rate('BTC', String(1000 + m), `2026-03-15T10:${String(m).padStart(2, '0')}:00Z`),
          ),
        ),
      );
      expect((await b.getMany(['BTC'])).get('BTC')).toBe('1059');
      expect((await a.getMany(['BTC'])).get('BTC')).toBe('1059');
    } finally {
      await other.quit();
    }
  });

  it('keeps its keys under its prefix and hash tag', async () => {
    await store.put(rate('BTC', '1', '2026-03-15T10:00:00Z'));
    const keys = await keysMatching(db.redis, `*${db.prefix}*`);
    expect(keys).toEqual([new EnrichmentKeys(db.prefix).latestRates()]);
    expect(keys[0].startsWith(`{${db.prefix}:rates}`)).toBe(true);
  });

  it('an unreachable Redis is a retriable ScreeningUnavailableError', async () => {
    const dead = new IORedis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    try {
      const broken = new RatesStore(dead, db.prefix);
      await expect(broken.getMany(['BTC'])).rejects.toBeInstanceOf(ScreeningUnavailableError);
      await expect(broken.put(rate('BTC', '1', '2026-03-15T10:00:00Z'))).rejects.toMatchObject({
        code: 'REDIS_UNAVAILABLE',
        retriable: true,
      });
    } finally {
      dead.disconnect();
    }
  });
});
