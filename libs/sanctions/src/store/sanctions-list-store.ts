import { ScreeningUnavailableError } from '@sekimori/contracts';
import { guardRedis, type RedisScript } from '@sekimori/redis';
import type { Redis } from 'ioredis';
import { type ListEntry, type ParsedList } from '../list-entry';
import { computeListVersion } from '../list-version';
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
}

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

  constructor(
    private readonly redis: Redis,
    keyPrefix = 'sekimori',
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

  async publish(list: ParsedList): Promise<PublishResult> {
    assertListId(list.listId);
    const { listId } = list;
    const version = computeListVersion(listId, list.entries);
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
      await this.writeVersion(list, version, grouped, counts);
      const previous = await this.run(
        SWITCH_SCRIPT,
        [
          this.keys.current(listId),
          this.keys.registry(),
          this.keys.meta(listId, version),
          this.keys.addresses(listId, version),
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
   * Looks `keys` up on every current list in one round trip. Throws
   * `ScreeningUnavailableError('LIST_MISSING')` when no list is loaded (also for an empty
   * `keys`), and `'REDIS_UNAVAILABLE'` when Redis cannot answer.
   *
   * Parsed hits are not cached: hits are rare (a listed address), so parsing them costs little,
   * and a cache would need invalidating on every switch.
   */
  async lookup(keys: readonly string[]): Promise<ListLookup> {
    const reply = (await this.guard(() =>
      this.run(LOOKUP_SCRIPT, [this.keys.registry()], [this.keys.base, ...keys]),
    )) as Array<string | Array<string | number>>;
    if (reply.length === 0) {
      throw new ScreeningUnavailableError('LIST_MISSING', 'no sanctions list is loaded in Redis');
    }
    const versions: Record<string, string> = {};
    const qualified: string[] = [];
    const hits = new Map<string, ListHit[]>();
    for (let i = 0; i < reply.length; i += 3) {
      const listId = reply[i] as string;
      const listVersion = reply[i + 1] as string;
      const found = reply[i + 2] as Array<string | number>;
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
    return { listVersion: qualified.sort().join(','), versions, hits };
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
    pipeline.hset(this.keys.meta(listId, version), {
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
    },
  };
}
