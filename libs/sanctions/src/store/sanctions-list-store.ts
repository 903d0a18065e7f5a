import { ScreeningUnavailableError } from '@sekimori/contracts';
import { guardRedis, type RedisScript } from '@sekimori/redis';
import type { Redis } from 'ioredis';
import { type ListEntry, type ParsedList } from '../list-entry';
import { computeListVersion } from '../list-version';
import type { NameEntry } from '../names/name-entry';
import {
  buildNameIndex,
  type NameIndex,
  type NameIndexCounts,
  nameIndexDigest,
} from '../names/name-index';
import type { NameListHit } from '../names/name-matcher';
import type { StoredName } from '../names/name-index';
import { createHash } from 'node:crypto';
import { assertListId, ListKeys } from './list-keys';
import { DROP_OLD_SCRIPT, LOOKUP_SCRIPT, SWITCH_SCRIPT, VERSIONS_SCRIPT } from './list-scripts';

export interface ListCounts {
  /** Entries (one per party and key). */
  entries: number;
  /** Distinct entry keys: the fields of the version's address hash. */
  keys: number;
  parties: number;
  features: number;
  distinctAddresses: number;
  byChain: Record<string, number>;
  unclassified: Record<string, number>;
  /** The name index (NAME_MATCH); absent for a list published without names. */
  names?: NameIndexCounts;
}

/** A parsed list, with the names of its parties when the parser read them (OFAC does). */
export type PublishableList = ParsedList & { names?: readonly NameEntry[] };

export interface VersionMeta {
  listId: string;
  version: string;
  issuedAt: string;
  loadedAt: string;
  source: string;
  counts: ListCounts;
}

export interface PublishResult {
  listId: string;
  version: string;
  previousVersion: string | null;
  unchanged: boolean;
  counts: ListCounts;
  /** Versions removed after the switch. */
  droppedVersions: string[];
}

export type ListHit = ListEntry & { listId: string; listVersion: string };

export interface ListLookup {
  /** Every current list as `listId:version`, sorted, joined by `,` (e.g. `ofac-sdn:1a2b3c4d5e6f7a8b`). */
  listVersion: string;
  /** listId -> version of every list the lookup read. */
  versions: Record<string, string>;
  /** Only the keys that are listed; `listVersion` of a hit is that list's version id. */
  hits: Map<string, ListHit[]>;
  /** Only the name keys found in a list's name index (see names/name-matcher). */
  nameHits: Map<string, NameListHit[]>;
}

/** Message on the switch channel. */
export interface ListSwitchMessage {
  listId: string;
  version: string;
  previousVersion: string | null;
  issuedAt: string;
}

/** The stored form of an entry: its key is the hash field already. */
type StoredEntry = Omit<ListEntry, 'key'>;

/** Fields per HSET and commands per pipeline round trip while writing a version. */
const HSET_FIELDS = 500;

/**
 * Versioned sanctions lists in Redis. A load writes a complete new version beside the current
 * one, switches the `current` pointer atomically, then drops the old version; the screener's
 * lookup reads pointer and data in one script, so it sees either the old list or the new one,
 * never a mixture, a half-written version or a dropped one.
 */
export class SanctionsListStore {
  private readonly keys: ListKeys;

  /**
   * @param requiredLists lists `lookup` insists on (fail closed): when one of them has no
   *   current version, the lookup throws LIST_MISSING although other lists are loaded. Empty:
   *   any one loaded list will do (tests, tools).
   */
  constructor(
    private readonly redis: Redis,
    keyPrefix = 'sekimori',
    private readonly requiredLists: readonly string[] = [],
  ) {
    if (redis.options.keyPrefix) {
      // ioredis prefixes KEYS but not ARGV; the scripts build keys from ARGV, so they would miss.
      throw new Error(
        'SanctionsListStore needs an ioredis client without the keyPrefix option; pass the prefix',
      );
    }
    this.keys = new ListKeys(keyPrefix);
  }

  /** The pub/sub channel on which every switch is announced (see ListSwitchMessage). */
  get switchChannel(): string {
    return this.keys.switchChannel();
  }

  async publish(list: PublishableList): Promise<PublishResult> {
    assertListId(list.listId);
    const { listId } = list;
    const names = list.names ? buildNameIndex(list.names) : null;
    const version = versionOf(listId, list.entries, names);
    const grouped = groupByKey(list.entries);
    const counts: ListCounts = {
      entries: list.entries.length,
      keys: grouped.size,
      parties: list.stats.parties,
      features: list.stats.features,
      distinctAddresses: list.stats.distinctAddresses,
      byChain: list.stats.byChain,
      unclassified: list.stats.unclassified,
    };
    if (names) counts.names = names.counts;
    return this.guard(async () => {
      const current = await this.redis.get(this.keys.current(listId));
      if (current === version) {
        // Same content: the version is already complete and current; rewriting it would only
        // change loadedAt.
        return {
          listId,
          version,
          previousVersion: current,
          unchanged: true,
          counts,
          droppedVersions: [],
        };
      }
      await this.writeVersion(list, version, grouped, names, counts);
      const previous = await this.run(
        SWITCH_SCRIPT,
        [
          this.keys.current(listId),
          this.keys.registry(),
          this.keys.meta(listId, version),
          this.keys.addresses(listId, version),
          this.keys.names(listId, version),
        ],
        [listId, version, list.issuedAt, this.keys.switchChannel()],
      );
      const dropped = await this.run(
        DROP_OLD_SCRIPT,
        [this.keys.current(listId), this.keys.versions(listId)],
        [this.keys.base, listId],
      );
      return {
        listId,
        version,
        previousVersion: typeof previous === 'string' ? previous : null,
        unchanged: false,
        counts,
        droppedVersions: (dropped as string[]).sort(),
      };
    });
  }

  /**
   * Looks `keys` (addresses) and `nameKeys` (counterparty names, from `counterpartyNameKey`) up
   * on every current list in one round trip. Throws `ScreeningUnavailableError('LIST_MISSING')`
   * when no list is loaded (also for empty `keys`), and `'REDIS_UNAVAILABLE'` when Redis
   * cannot answer.
   *
   * Parsed hits are not cached: hits are rare (a listed address), so parsing them costs little,
   * and a cache would need invalidating on every switch.
   */
  async lookup(keys: readonly string[], nameKeys: readonly string[] = []): Promise<ListLookup> {
    const reply = (await this.guard(() =>
      this.run(
        LOOKUP_SCRIPT,
        [this.keys.registry()],
        [this.keys.base, String(keys.length), ...keys, ...nameKeys],
      ),
    )) as Array<string | Array<string | number>>;
    if (reply.length === 0) {
      throw new ScreeningUnavailableError('LIST_MISSING', 'no sanctions list is loaded in Redis');
    }
    const versions: Record<string, string> = {};
    const qualified: string[] = [];
    const hits = new Map<string, ListHit[]>();
    const nameHits = new Map<string, NameListHit[]>();
    for (let i = 0; i < reply.length; i += 4) {
      const listId = reply[i] as string;
      const listVersion = reply[i + 1] as string;
      const found = reply[i + 2] as Array<string | number>;
      const foundNames = reply[i + 3] as Array<string | number>;
      for (let j = 0; j < foundNames.length; j += 2) {
        const key = nameKeys[foundNames[j] as number];
        const stored = JSON.parse(foundNames[j + 1] as string) as StoredName[];
        let forKey = nameHits.get(key);
        if (!forKey) nameHits.set(key, (forKey = []));
        for (const name of stored) forKey.push({ ...name, listId, listVersion });
      }
      versions[listId] = listVersion;
      qualified.push(`${listId}:${listVersion}`);
      for (let j = 0; j < found.length; j += 2) {
        const key = keys[found[j] as number];
        const stored = JSON.parse(found[j + 1] as string) as StoredEntry[];
        let forKey = hits.get(key);
        if (!forKey) hits.set(key, (forKey = []));
        for (const entry of stored) forKey.push({ ...entry, key, listId, listVersion });
      }
    }
    const missing = this.requiredLists.filter((id) => versions[id] === undefined);
    if (missing.length > 0) {
      throw new ScreeningUnavailableError(
        'LIST_MISSING',
        `required sanctions list not loaded in Redis: ${missing.join(', ')}`,
      );
    }
    return { listVersion: qualified.sort().join(','), versions, hits, nameHits };
  }

  /** The current version of every registered list, with its meta (for logs and health). */
  async currentVersions(): Promise<VersionMeta[]> {
    const reply = (await this.guard(() =>
      this.run(VERSIONS_SCRIPT, [this.keys.registry()], [this.keys.base]),
    )) as Array<string | string[]>;
    const metas: VersionMeta[] = [];
    for (let i = 0; i < reply.length; i += 3) {
      metas.push(readMeta(reply[i] as string, reply[i + 1] as string, reply[i + 2] as string[]));
    }
    return metas.sort((a, b) => a.listId.localeCompare(b.listId));
  }

  /** The version readers currently use for one list, or null when it was never loaded. */
  async currentVersion(listId: string): Promise<string | null> {
    assertListId(listId);
    return this.guard(() => this.redis.get(this.keys.current(listId)));
  }

  /**
   * Writes the version's address hash in pipelined chunks, then its meta. Versions are named
   * by content, so a field written for a version always holds the same value: a leftover from
   * a crashed load of the same content is simply completed, never wrong.
   */
  private async writeVersion(
    list: ParsedList,
    version: string,
    grouped: Map<string, StoredEntry[]>,
    names: NameIndex | null,
    counts: ListCounts,
  ): Promise<void> {
    const { listId } = list;
    // Registered first, so a load that dies half way leaves a version the next cleanup finds.
    await this.redis.sadd(this.keys.versions(listId), version);
    const addrKey = this.keys.addresses(listId, version);
    const pipeline = this.redis.pipeline();
    let fields: string[] = [];
    for (const [key, entries] of grouped) {
      fields.push(key, JSON.stringify(entries));
      if (fields.length >= HSET_FIELDS * 2) {
        pipeline.hset(addrKey, ...fields);
        fields = [];
      }
    }
    if (fields.length > 0) pipeline.hset(addrKey, ...fields);
    if (names) {
      // Same chunking as the addresses: ~41k names of the OFAC file are ~80 HSETs in one round trip.
      const namesKey = this.keys.names(listId, version);
      fields = [];
      for (const [key, stored] of names.fields) {
        fields.push(key, JSON.stringify(stored));
        if (fields.length >= HSET_FIELDS * 2) {
          pipeline.hset(namesKey, ...fields);
          fields = [];
        }
      }
      if (fields.length > 0) pipeline.hset(namesKey, ...fields);
    }
    const nameMeta = names
      ? { nameKeys: names.counts.keys, names: JSON.stringify(names.counts) }
      : {};
    pipeline.hset(this.keys.meta(listId, version), {
      ...nameMeta,
      listId,
      version,
      issuedAt: list.issuedAt,
      loadedAt: new Date().toISOString(),
      source: list.source,
      entries: counts.entries,
      keys: counts.keys,
      parties: counts.parties,
      features: counts.features,
      distinctAddresses: counts.distinctAddresses,
      byChain: JSON.stringify(counts.byChain),
      unclassified: JSON.stringify(counts.unclassified),
    });
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([error]) => error);
    if (failed?.[0]) throw failed[0];
  }

  private run(script: RedisScript, keys: string[], args: string[]): Promise<unknown> {
    return script.run(this.redis, keys, args);
  }

  private guard<T>(work: () => Promise<T>): Promise<T> {
    return guardRedis('sanctions list', work);
  }
}

/**
 * The content version: the addresses' version as before, mixed with the name index digest when
 * the list has names, so a change of names alone (a new alias) is a new version too.
 */
function versionOf(listId: string, entries: readonly ListEntry[], names: NameIndex | null): string {
  const addresses = computeListVersion(listId, entries);
  if (!names) return addresses;
  return createHash('sha256')
    .update(`${addresses}\n${nameIndexDigest(names)}`)
    .digest('hex')
    .slice(0, 16);
}

function groupByKey(entries: readonly ListEntry[]): Map<string, StoredEntry[]> {
  const grouped = new Map<string, StoredEntry[]>();
  for (const { key, ...stored } of entries) {
    const forKey = grouped.get(key);
    if (forKey) forKey.push(stored);
    else grouped.set(key, [stored]);
  }
  return grouped;
}

function readMeta(listId: string, version: string, flat: string[]): VersionMeta {
  const m: Record<string, string> = {};
  for (let i = 0; i < flat.length; i += 2) m[flat[i]] = flat[i + 1];
  const num = (name: string): number => Number(m[name] ?? 0);
  const obj = (name: string): Record<string, number> =>
    JSON.parse(m[name] ?? '{}') as Record<string, number>;
  return {
    listId,
    version,
    issuedAt: m.issuedAt ?? '',
    loadedAt: m.loadedAt ?? '',
    source: m.source ?? '',
    counts: {
      entries: num('entries'),
      keys: num('keys'),
      parties: num('parties'),
      features: num('features'),
      distinctAddresses: num('distinctAddresses'),
      byChain: obj('byChain'),
      unclassified: obj('unclassified'),
      ...(m.names ? { names: JSON.parse(m.names) as NameIndexCounts } : {}),
    },
  };
}
