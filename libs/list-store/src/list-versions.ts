import type { NameIndexCounts } from '@sekimori/name-matching';
import { assertListId } from './list-keys';
import type { CurrentPointers } from './list-pointers';
import { guardLists, type ListRedis } from './list-redis';
import { RECORD_CHECK_SCRIPT, VERSIONS_SCRIPT } from './list-scripts';

/** How a version differs from the one it replaced, in lookup keys. */
export interface ListDelta {
  addresses: number;
  names: number;
}

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

export interface VersionMeta {
  listId: string;
  version: string;
  issuedAt: string;
  loadedAt: string;
  /** The last time the list's source was checked and found to hold this version. */
  checkedAt: string;
  source: string;
  counts: ListCounts;
  /** Against the version it replaced (absent for versions written before this was kept). */
  added?: ListDelta;
  removed?: ListDelta;
  previousVersion?: string | null;
  /** When the loader announced the version on `lists.v1` (absent: not yet). */
  announcedAt?: string;
}

/** The versions of each list as kept: which is current, their meta, keys and history. */
export class ListVersions {
  constructor(
    private readonly store: ListRedis,
    private readonly pointers: CurrentPointers,
  ) {}

  /** Every address key and name key of a retained version (re-screening, audit). */
  async versionKeys(
    listId: string,
    version: string,
  ): Promise<{ addresses: string[]; names: string[] }> {
    assertListId(listId);
    const { redis, keys } = this.store;
    const [addresses, names] = await guardLists(() =>
      Promise.all([
        redis.hkeys(keys.addresses(listId, version)),
        redis.hkeys(keys.names(listId, version)),
      ]),
    );
    return { addresses, names };
  }

  /** One version's meta, or null when it is not (or no longer) kept. */
  async versionMeta(listId: string, version: string): Promise<VersionMeta | null> {
    assertListId(listId);
    const { redis, keys } = this.store;
    const flat = await guardLists(() => redis.hgetall(keys.meta(listId, version)));
    const pairs = Object.entries(flat).flat();
    return pairs.length === 0 ? null : readMeta(listId, version, pairs);
  }

  /**
   * Records a check of the list's source that found `version` again without reading it (an HTTP
   * 304): `checkedAt` moves, nothing else. False when `version` is no longer the current one.
   */
  async recordCheck(listId: string, version: string, at: Date): Promise<boolean> {
    assertListId(listId);
    const { redis, keys } = this.store;
    const recorded = await guardLists(() =>
      RECORD_CHECK_SCRIPT.run(
        redis,
        [keys.current(listId), keys.meta(listId, version)],
        [version, at.toISOString()],
      ),
    );
    return recorded === 1;
  }

  /** Records that the version was announced on `lists.v1`. */
  async markAnnounced(listId: string, version: string, at: string): Promise<void> {
    assertListId(listId);
    const { redis, keys } = this.store;
    await guardLists(() => redis.hset(keys.meta(listId, version), 'announcedAt', at));
  }

  /** The versions a list was switched to and are still kept, oldest first, with when. */
  async history(listId: string): Promise<Array<{ version: string; switchedAt: string }>> {
    assertListId(listId);
    const { redis, keys } = this.store;
    const flat = await guardLists(() => redis.zrange(keys.history(listId), 0, -1, 'WITHSCORES'));
    const out: Array<{ version: string; switchedAt: string }> = [];
    for (let i = 0; i < flat.length; i += 2) {
      out.push({ version: flat[i], switchedAt: new Date(Number(flat[i + 1])).toISOString() });
    }
    return out;
  }

  /** The current version of every registered list, with its meta (for logs and health). */
  async currentVersions(): Promise<VersionMeta[]> {
    const { keys } = this.store;
    const reply = (await guardLists(() =>
      this.pointers.runChecked(VERSIONS_SCRIPT, (id, version) => [keys.meta(id, version)]),
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
    const { redis, keys } = this.store;
    return guardLists(() => redis.get(keys.current(listId)));
  }
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
    // Versions written before checks were recorded were last checked when they were loaded.
    checkedAt: m.checkedAt ?? m.loadedAt ?? '',
    source: m.source ?? '',
    ...(m.added ? { added: JSON.parse(m.added) as ListDelta } : {}),
    ...(m.removed ? { removed: JSON.parse(m.removed) as ListDelta } : {}),
    ...(m.previousVersion !== undefined ? { previousVersion: m.previousVersion || null } : {}),
    ...(m.announcedAt ? { announcedAt: m.announcedAt } : {}),
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
