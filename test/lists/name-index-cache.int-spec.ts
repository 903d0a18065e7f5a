import {
  ListKeys,
  NameIndexCache,
  type PublishableList,
  SanctionsListStore,
} from '@sekimori/list-store';
import {
  DEFAULT_NAME_THRESHOLDS,
  matchNames,
  type NameEntry,
  screenedNameOf,
} from '@sekimori/name-matching';
import type { RedisClient } from '@sekimori/redis';
import { dropPrefix, freshPrefix, redisClient } from '../support/redis';

const person = (entityId: string, name: string): NameEntry => ({
  entityId,
  entityName: name,
  partyKind: 'individual',
  name,
  nameType: 'primary',
  lowQuality: false,
  programs: ['RUSSIA-EO14024'],
});

/** A names-only list of real OFAC names (UIDs 16685 and 35173). */
function list(names: NameEntry[]): PublishableList {
  return {
    listId: 'names-test',
    source: 'inline',
    issuedAt: '2026-03-05',
    entries: [],
    stats: {
      parties: names.length,
      features: 0,
      distinctAddresses: 0,
      byChain: {},
      unclassified: {},
    },
    names,
  };
}

const CHEMEZOV = person('16685', 'CHEMEZOV, Sergei');
const SHOIGU = person('35173', 'Shoigu, Sergei Kuzhugetovich');

describe('NameIndexCache on a real Redis', () => {
  let redis: RedisClient;
  let prefix: string;
  let store: SanctionsListStore;
  let cache: NameIndexCache;

  beforeEach(() => {
    redis = redisClient();
    prefix = freshPrefix();
    store = new SanctionsListStore(redis, prefix);
    cache = new NameIndexCache(redis, prefix);
  });

  afterEach(async () => {
    await dropPrefix(redis, prefix);
    await redis.quit();
  });

  const match = async (name: string, versions: Record<string, string>): Promise<string[]> => {
    const indexes = await cache.indexesFor(versions);
    return matchNames([screenedNameOf(name, 'account')], indexes, DEFAULT_NAME_THRESHOLDS).map(
      (m) => `${m.listVersion}:${m.entityId}`,
    );
  };

  it('matches against the version the lookup pinned, the old one until the batch sees the new', async () => {
    const v1 = await store.publish(list([CHEMEZOV]));
    const pinned = (await store.lookup([])).versions;
    expect(await match('セルゲイ・チェメゾフ', pinned)).toEqual([`${v1.version}:16685`]);

    const v2 = await store.publish(list([CHEMEZOV, SHOIGU]));
    // A batch that pinned v1 still sees v1's names (the version is kept after the switch).
    expect(await match('ｾﾙｹﾞｲ･ｼｮｲｸﾞ', pinned)).toEqual([]);
    const next = (await store.lookup([])).versions;
    expect(next['names-test']).toBe(v2.version);
    expect(await match('ｾﾙｹﾞｲ･ｼｮｲｸﾞ', next)).toEqual([`${v2.version}:35173`]);
  });

  it('fails closed (LIST_MISSING, retriable) on a version whose names are incomplete or gone', async () => {
    const v1 = await store.publish(list([CHEMEZOV, SHOIGU]));
    const keys = new ListKeys(prefix);
    const namesKey = keys.names('names-test', v1.version);
    const [field] = await redis.hkeys(namesKey);
    await redis.hdel(namesKey, field);
    const versions = { 'names-test': v1.version };
    await expect(cache.indexesFor(versions)).rejects.toMatchObject({
      code: 'LIST_MISSING',
      retriable: true,
    });
    await expect(cache.indexesFor({ 'names-test': 'ffffffffffffffff' })).rejects.toThrow(
      /names-test version ffffffffffffffff is gone/,
    );
    // Nothing half-built was kept: once the version is whole again, it is read again.
    await store.publish(list([CHEMEZOV]));
    await store.publish(list([CHEMEZOV, SHOIGU]));
    expect(await match('Сергей Шойгу', versions)).toEqual([`${v1.version}:35173`]);
  });

  it('warms a version ahead of the first batch: the batch is answered from the index built then', async () => {
    const v1 = await store.publish(list([CHEMEZOV, SHOIGU]));
    const versions = { 'names-test': v1.version };
    expect(await cache.warm(versions)).toBe(2);
    // The names are read from Redis once, by the warm-up: with the hash gone, a batch that pins
    // the warmed version is still answered (a cache that had not kept it would fail closed).
    await redis.del(new ListKeys(prefix).names('names-test', v1.version));
    expect(await match('Сергей Шойгу', versions)).toEqual([`${v1.version}:35173`]);
    // A warm-up that cannot read a version fails, as a batch would, and keeps nothing.
    await expect(cache.warm({ 'names-test': 'ffffffffffffffff' })).rejects.toThrow(/is gone/);
  });

  it('gives no index for a list published without names', async () => {
    const addressesOnly = { ...list([]), names: undefined, listId: 'addresses-test' };
    const published = await store.publish(addressesOnly);
    expect(await cache.indexesFor({ 'addresses-test': published.version })).toEqual([]);
  });
});
