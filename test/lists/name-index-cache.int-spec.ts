import { classifyListedAddress } from '@sekimori/chains';
import type { ListEntry } from '@sekimori/list-sources';
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

  it('gives an index without names for a list published without names: nothing matches, its entries have fingerprints', async () => {
    const addressesOnly = {
      ...list([]),
      names: undefined,
      listId: 'addresses-test',
      entries: [address('16685', 1)],
    };
    const published = await store.publish(addressesOnly);
    const [found] = await cache.indexesFor({ 'addresses-test': published.version });
    expect(found).toMatchObject({ listId: 'addresses-test', listVersion: published.version });
    expect(found.index.size).toBe(0);
    expect(found.index.entryFingerprint('16685')).toMatch(/^f2:[0-9a-f]{32}$/);
  });

  it("an entry's fingerprint covers its listed addresses: the same in every load of the same entry, another when an address is added", async () => {
    const fingerprintIn = async (entries: ListEntry[], names: NameEntry[]) => {
      const published = await store.publish({ ...list(names), entries });
      const [found] = await cache.indexesFor({ 'names-test': published.version });
      return (entityId: string) => found.index.entryFingerprint(entityId);
    };
    const first = await fingerprintIn([address('16685', 1)], [CHEMEZOV, SHOIGU]);
    // Another version (Shoigu gains an alias), read by another screener (a new cache).
    cache = new NameIndexCache(redis, prefix);
    const otherChanged = await fingerprintIn(
      [address('16685', 1)],
      [CHEMEZOV, SHOIGU, { ...SHOIGU, name: 'SHOYGU, Sergey', nameType: 'aka' }],
    );
    const addressAdded = await fingerprintIn(
      [address('16685', 1), address('16685', 2)],
      [CHEMEZOV, SHOIGU],
    );
    expect(first('16685')).toMatch(/^f2:[0-9a-f]{32}$/);
    expect(otherChanged('16685')).toBe(first('16685'));
    expect(otherChanged('35173')).not.toBe(first('35173'));
    expect(addressAdded('16685')).not.toBe(first('16685'));
    expect(addressAdded('35173')).toBe(first('35173'));
    expect(first('99999')).toBe('');
  });
});

/** A made-up ETH address of a party: `n` tells two of them apart. */
function address(entityId: string, n: number): ListEntry {
  const listed = classifyListedAddress(`0x${String(n).padStart(40, 'a')}`, 'ETH');
  if (!listed) throw new Error('the made-up address does not classify as an ETH address');
  return {
    key: listed.key,
    chain: listed.chain,
    address: listed.canonical,
    entityId,
    entityName: 'CHEMEZOV, Sergei',
    programs: ['RUSSIA-EO14024'],
    tag: 'ETH',
  };
}
