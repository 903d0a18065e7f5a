import { EnrichmentKeys, RatesStore } from '@sekimori/screening-redis';
import { dropPrefix, freshPrefix, redisClient } from '../support/redis';

const rate = (asset: string, jpy: string, at: string) =>
  ({ type: 'rate', asset, jpy, at }) as const;

describe('RatesStore.pinMany on the real Redis', () => {
  const redis = redisClient();
  let prefix: string;
  let store: RatesStore;

  beforeEach(() => {
    prefix = freshPrefix();
    store = new RatesStore(redis, prefix);
  });
  afterEach(async () => {
    await dropPrefix(redis, prefix);
  });
  afterAll(async () => {
    await redis.quit();
  });

  it('values an event with the rate of its first screening, also when the rate moved since', async () => {
    await store.put(rate('BTC', '15000000', '2026-03-15T09:00:00Z'));
    const first = await store.pinMany([{ eventId: 'e1', asset: 'BTC' }], 60_000);
    expect(first.get('e1')).toBe('15000000');
    await store.put(rate('BTC', '31000000', '2026-03-15T10:00:00Z'));
    const again = await store.pinMany(
      [
        { eventId: 'e1', asset: 'BTC' },
        { eventId: 'e2', asset: 'BTC' },
      ],
      60_000,
    );
    expect([...again]).toEqual([
      ['e1', '15000000'],
      ['e2', '31000000'],
    ]);
  });

  it('pins the absence of a rate too, so a replay is not valued when the first delivery was not', async () => {
    expect((await store.pinMany([{ eventId: 'e1', asset: 'NEW' }], 60_000)).get('e1')).toBeNull();
    await store.put(rate('NEW', '40000000', '2026-03-15T10:00:00Z'));
    expect((await store.pinMany([{ eventId: 'e1', asset: 'NEW' }], 60_000)).get('e1')).toBeNull();
    expect((await store.getMany(['NEW'])).get('NEW')).toBe('40000000');
  });

  it('a duplicate in one batch gets the same rate; pins expire after the time given', async () => {
    await store.put(rate('ETH', '500000', '2026-03-15T09:00:00Z'));
    const pins = await store.pinMany(
      [
        { eventId: 'd', asset: 'ETH' },
        { eventId: 'd', asset: 'ETH' },
      ],
      60_000,
    );
    expect([...pins]).toEqual([['d', '500000']]);
    const ttl = await redis.pttl(new EnrichmentKeys(prefix).ratePin('d'));
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(await store.pinMany([], 60_000)).toEqual(new Map());
    await expect(store.pinMany([{ eventId: 'x', asset: 'ETH' }], 0)).rejects.toThrow(
      'invalid pin time',
    );
  });
});
