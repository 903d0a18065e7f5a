import { ScreeningUnavailableError, UnknownVersionError } from '@sekimori/contracts';
import { createRedisClient, keysMatching, type RedisClient } from '@sekimori/redis';
import {
  type ListEntry,
  ListParseError,
  type ParsedList,
  parseOfacSdnAdvanced,
} from '@sekimori/list-sources';
import { OlderListError, SanctionsListStore } from '@sekimori/list-store';
import type { ListLookup } from '@sekimori/screening';
import { counterpartyNameKey } from '@sekimori/name-matching';
import Redis from 'ioredis';
import { once } from 'node:events';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { testRedisUrl, waitFor } from '../support/env';
import {
  dropPrefix,
  freshPrefix,
  itOnSingleRedis,
  redisClient,
  redisClientFor,
} from '../support/redis';
import { ROOT } from '../support/screener-process';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'lists');
const SHIPPED = join(ROOT, 'data', 'sanctions', 'ofac', 'sdn_advanced-2025-11-19.xml.bz2');
const GARANTEX_BTC = 'bitcoin:3Lpoy53K625zVeE47ZasiG5jGkAxJ27kh1';

/** The same list with some entries removed and one added: a realistic list update. */
function updated(list: ParsedList, remove: number): ParsedList {
  const added: ListEntry = {
    key: 'tron:TXYZopYRdj2D9XRtbG411XZZ3kM5VkAeBf',
    chain: 'tron',
    address: 'TXYZopYRdj2D9XRtbG411XZZ3kM5VkAeBf',
    entityId: '99999',
    entityName: 'TEST ADDITION',
    programs: ['CYBER4'],
    tag: 'TRX',
  };
  return { ...list, entries: [...list.entries.slice(remove), added] };
}

describe('SanctionsListStore on a real Redis', () => {
  let excerpt: ParsedList;
  let full: ParsedList;
  let redis: RedisClient;
  let prefix: string;
  let store: SanctionsListStore;

  beforeAll(async () => {
    excerpt = await parseOfacSdnAdvanced(join(FIXTURES, 'ok', 'sdn-advanced-excerpt.xml'));
    full = await parseOfacSdnAdvanced(SHIPPED);
  }, 60_000);

  beforeEach(() => {
    redis = redisClient();
    prefix = freshPrefix();
    store = new SanctionsListStore(redis, prefix);
  });

  afterEach(async () => {
    await dropPrefix(redis, prefix);
    await redis.quit();
  });

  it('publishes a list and finds its addresses in one lookup', async () => {
    const published = await store.publish(full);
    expect(published).toMatchObject({
      listId: 'ofac-sdn',
      previousVersion: null,
      unchanged: false,
    });
    expect(published.version).toMatch(/^[0-9a-f]{16}$/);
    expect(published.counts).toMatchObject({
      entries: full.entries.length,
      keys: 745,
      parties: 79,
      features: 761,
    });

    const lookup = await store.lookup([GARANTEX_BTC, 'bitcoin:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa']);
    expect(lookup.listVersion).toBe(`ofac-sdn:${published.version}`);
    expect(lookup.versions).toEqual({ 'ofac-sdn': published.version });
    expect([...lookup.hits.keys()]).toEqual([GARANTEX_BTC]);
    expect(lookup.hits.get(GARANTEX_BTC)).toEqual([
      {
        key: GARANTEX_BTC,
        chain: 'bitcoin',
        address: '3Lpoy53K625zVeE47ZasiG5jGkAxJ27kh1',
        entityId: '36025',
        entityName: 'GARANTEX EUROPE OU',
        programs: ['CYBER4', 'RUSSIA-EO14024'],
        tag: 'XBT',
        listId: 'ofac-sdn',
        listVersion: published.version,
      },
    ]);

    // Every entry of the list is found under its key, with one hit per listing party.
    const keys = [...new Set(full.entries.map((e) => e.key))];
    const all = await store.lookup(keys);
    expect(all.hits.size).toBe(745);
    const hits = [...all.hits.values()].reduce((n, h) => n + h.length, 0);
    expect(hits).toBe(full.entries.length);
  });

  it('recognises an unchanged list, rewrites nothing and records the check', async () => {
    const first = await store.publish(excerpt, { now: () => new Date('2026-11-01T00:00:00Z') });
    const [before] = await store.currentVersions();
    const again = await store.publish(
      { ...excerpt, issuedAt: excerpt.issuedAt, entries: [...excerpt.entries].reverse() },
      { now: () => new Date('2026-11-30T00:00:00Z') },
    );
    expect(again).toMatchObject({
      version: first.version,
      previousVersion: null,
      unchanged: true,
      checkedAt: '2026-11-30T00:00:00.000Z',
    });
    const [after] = await store.currentVersions();
    expect(after.loadedAt).toBe(before.loadedAt);
    expect(before.checkedAt).toBe('2026-11-01T00:00:00.000Z');
    expect(after.checkedAt).toBe('2026-11-30T00:00:00.000Z');
  });

  it('counts what a version adds and removes against the one it replaces', async () => {
    const first = await store.publish(excerpt);
    expect(first.added.addresses).toBe(first.counts.keys);
    expect(first.removed).toEqual({ addresses: 0, names: 0 });
    const second = await store.publish(updated(excerpt, 2));
    const removedKeys = new Set(excerpt.entries.slice(0, 2).map((e) => e.key));
    const keptKeys = new Set(excerpt.entries.slice(2).map((e) => e.key));
    const gone = [...removedKeys].filter((k) => !keptKeys.has(k)).length;
    expect(second).toMatchObject({
      previousVersion: first.version,
      added: { addresses: 1, names: 0 },
      removed: { addresses: gone, names: 0 },
    });
    expect(await store.versionMeta('ofac-sdn', second.version)).toMatchObject({
      previousVersion: first.version,
      added: { addresses: 1 },
      removed: { addresses: gone },
    });
  });

  it('refuses a file issued before the current version, unless forced', async () => {
    const current = await store.publish({ ...excerpt, issuedAt: '2025-11-19' });
    const older = { ...updated(excerpt, 1), issuedAt: '2025-10-01' };
    await expect(store.publish(older)).rejects.toThrow(OlderListError);
    await expect(store.publish(older)).rejects.toThrow(/issued 2025-10-01.*--force/);
    expect(await store.currentVersion('ofac-sdn')).toBe(current.version);
    const forced = await store.publish(older, { force: true });
    expect(await store.currentVersion('ofac-sdn')).toBe(forced.version);
  });

  it('looks up retained versions by id, and names a version that is not kept', async () => {
    const first = await store.publish(excerpt);
    const second = await store.publish(updated(excerpt, 1));
    const added = 'tron:TXYZopYRdj2D9XRtbG411XZZ3kM5VkAeBf';
    const atFirst = await store.lookupAt({ 'ofac-sdn': first.version }, [added, GARANTEX_BTC]);
    expect(atFirst.listVersion).toBe(`ofac-sdn:${first.version}`);
    expect([...atFirst.hits.keys()]).toEqual([GARANTEX_BTC]);
    const atSecond = await store.lookupAt({ 'ofac-sdn': second.version }, [added]);
    expect(atSecond.hits.get(added)?.[0].entityName).toBe('TEST ADDITION');
    await expect(store.lookupAt({ 'ofac-sdn': 'feedfeedfeedfeed' }, [added])).rejects.toThrow(
      UnknownVersionError,
    );
    expect((await store.history('ofac-sdn')).map((h) => h.version)).toEqual([
      first.version,
      second.version,
    ]);
  });

  it('reports the current versions with their meta and announces each switch', async () => {
    const subscriber = redisClient();
    const messages: unknown[] = [];
    try {
      await subscriber.subscribe(store.switchChannel);
      subscriber.on('message', (_channel: string, message: string) =>
        messages.push(JSON.parse(message)),
      );
      const first = await store.publish(excerpt);
      const second = await store.publish(updated(excerpt, 2));
      await waitFor('two switch messages', () => messages.length >= 2);
      expect(messages).toEqual([
        {
          listId: 'ofac-sdn',
          version: first.version,
          previousVersion: null,
          issuedAt: '2025-11-19',
        },
        {
          listId: 'ofac-sdn',
          version: second.version,
          previousVersion: first.version,
          issuedAt: '2025-11-19',
        },
      ]);
      const [meta] = await store.currentVersions();
      expect(meta).toMatchObject({
        listId: 'ofac-sdn',
        version: second.version,
        issuedAt: '2025-11-19',
        source: excerpt.source,
        counts: { entries: excerpt.entries.length - 1, parties: excerpt.stats.parties },
      });
      expect(Date.parse(meta.loadedAt)).not.toBeNaN();
    } finally {
      await subscriber.quit();
    }
  });

  it('keeps the retained versions and drops the older ones after a switch', async () => {
    const kept = await store.publish(excerpt, { retainVersions: 2 });
    const alsoKept = await store.publish(updated(excerpt, 2), { retainVersions: 2 });
    expect(alsoKept.droppedVersions).toEqual([]);
    expect(await store.versionMeta('ofac-sdn', kept.version)).not.toBeNull();
    const first = await store.publish(updated(excerpt, 3), { retainVersions: 2 });
    expect(first.droppedVersions).toEqual([kept.version]);
    const second = await store.publish(updated(excerpt, 1), { retainVersions: 1 });
    expect(second).toMatchObject({
      previousVersion: first.version,
      droppedVersions: [alsoKept.version, first.version].sort(),
    });
    const keys = await keysMatching(redis, `{${prefix}}:*`);
    expect(keys.filter((k) => k.includes(first.version))).toEqual([]);
    expect(keys.filter((k) => k.includes(second.version)).sort()).toEqual([
      `{${prefix}}:lists:ofac-sdn:v:${second.version}:addr`,
      `{${prefix}}:lists:ofac-sdn:v:${second.version}:meta`,
      `{${prefix}}:lists:ofac-sdn:v:${second.version}:names`,
    ]);
    expect(await redis.smembers(`{${prefix}}:lists:ofac-sdn:versions`)).toEqual([second.version]);
  });

  it('never misses an address present in both versions while versions switch under a lookup loop', async () => {
    const v2list = updated(full, 40);
    const removed = new Set(full.entries.slice(0, 40).map((e) => e.key));
    for (const e of v2list.entries) removed.delete(e.key);
    const common = [...new Set(v2list.entries.map((e) => e.key))].filter((k) =>
      full.entries.some((e) => e.key === k),
    );
    const probe = [
      ...common.slice(0, 300),
      ...removed,
      'bitcoin:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa',
    ];

    const v1 = (await store.publish(full)).version;
    const seen: ListLookup[] = [];
    let switching = true;
    const reader = (async () => {
      const readerClient = redisClient();
      const readerStore = new SanctionsListStore(readerClient, prefix);
      try {
        while (switching) seen.push(await readerStore.lookup(probe));
      } finally {
        await readerClient.quit();
      }
    })();

    let v2 = '';
    for (let round = 0; round < 6; round += 1) {
      v2 = (await store.publish(v2list)).version;
      await waitFor('a lookup on the new version', () =>
        seen.some((l) => l.versions['ofac-sdn'] === v2),
      );
      await store.publish(full);
      await waitFor('a lookup on the old version', () => seen.at(-1)?.versions['ofac-sdn'] === v1);
    }
    switching = false;
    await reader;

    expect(seen.length).toBeGreaterThan(12);
    const versionsSeen = new Set(seen.map((l) => l.versions['ofac-sdn']));
    expect(versionsSeen).toEqual(new Set([v1, v2]));
    for (const lookup of seen) {
      const version = lookup.versions['ofac-sdn'];
      const missing = common.slice(0, 300).filter((k) => !lookup.hits.has(k));
      expect(missing).toEqual([]);
      // Removed addresses are found exactly when the lookup read the version that has them.
      for (const key of removed) expect(lookup.hits.has(key)).toBe(version === v1);
      for (const hits of lookup.hits.values())
        for (const hit of hits) expect(hit.listVersion).toBe(version);
    }
  }, 60_000);

  it('keeps the current version when a load fails or a loader died half way', async () => {
    const current = await store.publish(excerpt);
    await expect(parseOfacSdnAdvanced(join(FIXTURES, 'not-ok', 'truncated.xml'))).rejects.toThrow(
      ListParseError,
    );

    // A loader that died after writing part of a version: registered, half written, never switched.
    const orphan = 'deadbeefdeadbeef';
    await redis.sadd(`{${prefix}}:lists:ofac-sdn:versions`, orphan);
    await redis.hset(
      `{${prefix}}:lists:ofac-sdn:v:${orphan}:addr`,
      'bitcoin:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa',
      '[]',
    );

    const lookup = await store.lookup([GARANTEX_BTC]);
    expect(lookup.versions).toEqual({ 'ofac-sdn': current.version });
    expect(lookup.hits.get(GARANTEX_BTC)).toHaveLength(1);
    expect(await store.currentVersion('ofac-sdn')).toBe(current.version);

    // The next successful load drops the orphan (and, retaining one, the old version).
    const next = await store.publish(updated(excerpt, 1), { retainVersions: 1 });
    expect(next.droppedVersions.sort()).toEqual([current.version, orphan].sort());
    expect(await redis.exists(`{${prefix}}:lists:ofac-sdn:v:${orphan}:addr`)).toBe(0);
  });

  it('looks up every registered list at once and names each version', async () => {
    const sdn = await store.publish(excerpt);
    const other = await store.publish({ ...excerpt, listId: 'ofac-test' });
    const lookup = await store.lookup([GARANTEX_BTC]);
    expect(lookup.listVersion).toBe(`ofac-sdn:${sdn.version},ofac-test:${other.version}`);
    expect(
      lookup.hits
        .get(GARANTEX_BTC)
        ?.map((h) => [h.listId, h.listVersion])
        .sort(),
    ).toEqual([
      ['ofac-sdn', sdn.version],
      ['ofac-test', other.version],
    ]);
    expect((await store.currentVersions()).map((v) => v.listId)).toEqual(['ofac-sdn', 'ofac-test']);
  });

  it('throws LIST_MISSING when no list is loaded, also for an empty batch', async () => {
    for (const keys of [[], [GARANTEX_BTC]]) {
      const lookup = store.lookup(keys);
      await expect(lookup).rejects.toThrow(ScreeningUnavailableError);
      await expect(lookup).rejects.toMatchObject({ code: 'LIST_MISSING', retriable: true });
    }
    expect(await store.currentVersions()).toEqual([]);
    await store.publish(excerpt);
    const empty = await store.lookup([]);
    expect(empty.hits.size).toBe(0);
    expect(empty.listVersion).toMatch(/^ofac-sdn:[0-9a-f]{16}$/);
  });

  it('publishes a names-only list (no addresses) and finds its names beside the address list', async () => {
    const namesOnly = {
      listId: 'un-test',
      source: 'inline',
      issuedAt: '2025-11-20',
      entries: [],
      stats: { parties: 0, features: 0, distinctAddresses: 0, byChain: {}, unclassified: {} },
      names: [
        {
          entityId: 'KPe.001',
          entityName: 'KOREA MINING DEVELOPMENT TRADING CORPORATION',
          partyKind: 'entity' as const,
          name: 'KOREA MINING DEVELOPMENT TRADING CORPORATION',
          nameType: 'primary' as const,
          lowQuality: false,
          programs: ['DPRK'],
        },
      ],
    };
    const un = await store.publish(namesOnly);
    expect(un.counts).toMatchObject({ entries: 0, keys: 0 });
    await store.publish(excerpt);
    const key = counterpartyNameKey('Korea Mining Development Trading Corporation') as string;
    const lookup = await store.lookup([GARANTEX_BTC], [key]);
    expect(lookup.versions['un-test']).toBe(un.version);
    expect(lookup.hits.get(GARANTEX_BTC)?.map((h) => h.listId)).toEqual(['ofac-sdn']);
    expect(lookup.nameHits.get(key)?.map((h) => [h.listId, h.entityId])).toEqual([
      ['un-test', 'KPe.001'],
    ]);
  });

  it('holds lookups while a required list is missing, even with another list loaded', async () => {
    const strict = new SanctionsListStore(redis, prefix, ['ofac-sdn']);
    await store.publish({ ...excerpt, listId: 'ofac-test' });
    const lookup = strict.lookup([GARANTEX_BTC]);
    await expect(lookup).rejects.toMatchObject({ code: 'LIST_MISSING', retriable: true });
    await expect(lookup).rejects.toThrow(/required sanctions list not loaded in Redis: ofac-sdn/);
    await store.publish(excerpt);
    expect((await strict.lookup([GARANTEX_BTC])).hits.get(GARANTEX_BTC)).toHaveLength(2);
  });

  // Kills the test client's one connection: a cluster client has one per node, and reconnects.
  itOnSingleRedis('throws REDIS_UNAVAILABLE when the connection to Redis is gone', async () => {
    await store.publish(excerpt);
    // The run's Redis as the tests reach it (TLS and the admin user on a secured run: CLIENT ID).
    const client = redisClientFor(testRedisUrl(), {
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on('error', () => undefined);
    try {
      const clientId = await client.client('ID');
      await redis.client('KILL', 'ID', String(clientId));
      await waitFor('the killed connection to end', () => client.status === 'end');
      const lookup = new SanctionsListStore(client, prefix).lookup([GARANTEX_BTC]);
      await expect(lookup).rejects.toThrow(ScreeningUnavailableError);
      await expect(lookup).rejects.toMatchObject({ code: 'REDIS_UNAVAILABLE', retriable: true });
      await expect(lookup).rejects.toHaveProperty('cause.message', 'Connection is closed.');
    } finally {
      // ioredis: disconnect() on an ended client leaves a handle behind.
      if (client.status !== 'end') client.disconnect();
    }
  });

  it('throws REDIS_UNAVAILABLE from a cluster client that reaches no node, and never a result', async () => {
    // Nothing listens on port 1: the client never learns a slot map, and must not queue.
    // disconnectTimeout: ioredis otherwise keeps a refused socket's 2 s destroy timer after the test.
    const client = createRedisClient(
      { url: 'redis://127.0.0.1:1', cluster: true },
      { disconnectTimeout: 50 },
    );
    try {
      const lookup = new SanctionsListStore(client, prefix).lookup([GARANTEX_BTC]);
      await expect(lookup).rejects.toThrow(ScreeningUnavailableError);
      await expect(lookup).rejects.toMatchObject({ code: 'REDIS_UNAVAILABLE', retriable: true });
    } finally {
      client.disconnect();
    }
  });

  it('throws REDIS_UNAVAILABLE when Redis does not answer in time', async () => {
    // A peer that accepts the connection and never replies, as a hung or partitioned server does.
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket)).listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const { port } = silent.address() as AddressInfo;
    const client = new Redis({
      host: '127.0.0.1',
      port,
      commandTimeout: 200,
      enableReadyCheck: false,
    });
    client.on('error', () => undefined);
    try {
      const lookup = new SanctionsListStore(client, prefix).lookup([GARANTEX_BTC]);
      await expect(lookup).rejects.toMatchObject({ code: 'REDIS_UNAVAILABLE' });
      await expect(lookup).rejects.toHaveProperty('cause.message', 'Command timed out');
    } finally {
      client.disconnect();
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});
