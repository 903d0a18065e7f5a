import { ScreeningUnavailableError } from '@sekimori/contracts';
import { guardRedis, type RedisClient, type RedisScript } from '@sekimori/redis';
import { computeListVersion, type ListEntry, type ParsedList } from '@sekimori/list-sources';
import {
  buildNameIndex,
  type NameEntry,
  type NameIndex,
  type NameIndexCounts,
  nameIndexDigest,
  type NameListHit,
  type StoredName,
} from '@sekimori/name-matching';
import { createHash } from 'node:crypto';
import { assertListId, ListKeys } from './list-keys';
import {
  DROP_OLD_SCRIPT,
  LOOKUP_AT_SCRIPT,
  LOOKUP_SCRIPT,
  RECORD_CHECK_SCRIPT,
  STALE_POINTERS,
  SWITCH_SCRIPT,
  VERSIONS_SCRIPT,
} from './list-scripts';

/** Versions kept per list when the caller does not say (LIST_RETAIN_VERSIONS). */
export const DEFAULT_RETAIN_VERSIONS = 30;

/** How a version differs from the one it replaced, in lookup keys. */
export interface ListDelta {
  addresses: number;
  names: number;
}

/** A file older than the loaded version, refused unless forced: not an outage, not a bad file. */
export class OlderListError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OlderListError';
  }
}

export interface PublishOptions {
  /** Publish even when the file's date of issue is older than the current version's. */
  force?: boolean;
  /** Versions kept besides the current one's (default DEFAULT_RETAIN_VERSIONS). */
  retainVersions?: number;
  now?: () => Date;
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

/** A parsed list, with the names of its parties when the parser read them (OFAC does). */
export type PublishableList = ParsedList & { names?: readonly NameEntry[] };

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

export interface PublishResult {
  listId: string;
  version: string;
  previousVersion: string | null;
  unchanged: boolean;
  counts: ListCounts;
  /** Versions removed after the switch (beyond the retained ones). */
  droppedVersions: string[];
  issuedAt: string;
  /** When the version became current, or (unchanged) when it first did. */
  loadedAt: string;
  checkedAt: string;
  added: ListDelta;
  removed: ListDelta;
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
 * Reads of the pointers before a lookup gives up as unavailable (the batch is held and retried):
 * each retry follows a switch made since the last read, and switches take far longer than a read.
 */
const POINTER_ATTEMPTS = 10;

/** Every registered list with its current version ('' when it has none), sorted by list id. */
type ListPointers = ReadonlyArray<readonly [listId: string, version: string]>;

/**
 * Versioned sanctions lists in Redis. A load writes a complete new version beside the current
 * one, switches the `current` pointer atomically, then drops the old version; the screener's
 * lookup reads pointer and data in one script, so it sees either the old list or the new one,
 * never a mixture, a half-written version or a dropped one.
 */
export class SanctionsListStore {
  private readonly keys: ListKeys;
  /** The pointers the last lookup found current; checked by every script that relies on them. */
  private pointers: ListPointers | null = null;

  /**
   * @param requiredLists lists `lookup` insists on (fail closed): when one of them has no
   *   current version, the lookup throws LIST_MISSING although other lists are loaded. Empty:
   *   any one loaded list will do (tests, tools).
   */
  constructor(
    private readonly redis: RedisClient,
    keyPrefix = 'sekimori',
    private readonly requiredLists: readonly string[] = [],
  ) {
    if (redis.options.keyPrefix) {
      // The keys are built here with their hash tag; an ioredis prefix would move them out of it.
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

  /**
   * Publishes a list as a new version and makes it current, or, when the content is the current
   * version's, records the check (`checkedAt`) and changes nothing else. A file older than the
   * current version's date of issue is refused (OlderListError) unless `force`.
   */
  async publish(list: PublishableList, options: PublishOptions = {}): Promise<PublishResult> {
    assertListId(list.listId);
    const { listId } = list;
    const now = (options.now ?? (() => new Date()))();
    const retain = options.retainVersions ?? DEFAULT_RETAIN_VERSIONS;
    if (!Number.isInteger(retain) || retain < 1) throw new Error(`invalid retain count ${retain}`);
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
      const currentMeta = current === null ? null : await this.versionMeta(listId, current);
      if (current === version && currentMeta !== null) {
        // Same content: the version is complete and current; only the check is recorded.
        await this.redis.hset(this.keys.meta(listId, version), 'checkedAt', now.toISOString());
        return {
          listId,
          version,
          previousVersion: currentMeta.previousVersion ?? null,
          unchanged: true,
          counts,
          droppedVersions: [],
          issuedAt: currentMeta.issuedAt,
          loadedAt: currentMeta.loadedAt,
          checkedAt: now.toISOString(),
          added: currentMeta.added ?? { addresses: 0, names: 0 },
          removed: currentMeta.removed ?? { addresses: 0, names: 0 },
        };
      }
      if (currentMeta !== null && !options.force) refuseOlder(list, currentMeta);
      const delta = await this.deltaFrom(
        listId,
        current,
        new Set(grouped.keys()),
        new Set(names?.fields.keys() ?? []),
      );
      await this.writeVersion(list, version, grouped, names, counts, now, {
        previousVersion: current ?? '',
        added: JSON.stringify(delta.added),
        removed: JSON.stringify(delta.removed),
      });
      const previous = await this.run(
        SWITCH_SCRIPT,
        [
          this.keys.current(listId),
          this.keys.registry(),
          this.keys.meta(listId, version),
          this.keys.addresses(listId, version),
          this.keys.names(listId, version),
          this.keys.history(listId),
        ],
        [listId, version, list.issuedAt, this.keys.switchChannel(), String(now.getTime())],
      );
      const dropped = await this.dropOld(listId, retain);
      return {
        listId,
        version,
        previousVersion: typeof previous === 'string' ? previous : null,
        unchanged: false,
        counts,
        droppedVersions: (dropped as string[]).sort(),
        issuedAt: list.issuedAt,
        loadedAt: now.toISOString(),
        checkedAt: now.toISOString(),
        ...delta,
      };
    });
  }

  /** What a version of the given keys adds and removes against `previous` (all added when none). */
  private async deltaFrom(
    listId: string,
    previous: string | null,
    addresses: ReadonlySet<string>,
    names: ReadonlySet<string>,
  ): Promise<{ added: ListDelta; removed: ListDelta }> {
    const before =
      previous === null
        ? { addresses: [] as string[], names: [] as string[] }
        : await this.versionKeys(listId, previous);
    const count = (of: Iterable<string>, notIn: ReadonlySet<string>): number => {
      let n = 0;
      for (const key of of) if (!notIn.has(key)) n += 1;
      return n;
    };
    const beforeAddresses = new Set(before.addresses);
    const beforeNames = new Set(before.names);
    return {
      added: { addresses: count(addresses, beforeAddresses), names: count(names, beforeNames) },
      removed: { addresses: count(beforeAddresses, addresses), names: count(beforeNames, names) },
    };
  }

  /** Every address key and name key of a retained version (re-screening, audit). */
  async versionKeys(
    listId: string,
    version: string,
  ): Promise<{ addresses: string[]; names: string[] }> {
    assertListId(listId);
    const [addresses, names] = await this.guard(() =>
      Promise.all([
        this.redis.hkeys(this.keys.addresses(listId, version)),
        this.redis.hkeys(this.keys.names(listId, version)),
      ]),
    );
    return { addresses, names };
  }

  /** One version's meta, or null when it is not (or no longer) kept. */
  async versionMeta(listId: string, version: string): Promise<VersionMeta | null> {
    assertListId(listId);
    const flat = await this.guard(() => this.redis.hgetall(this.keys.meta(listId, version)));
    const pairs = Object.entries(flat).flat();
    return pairs.length === 0 ? null : readMeta(listId, version, pairs);
  }

  /**
   * Records a check of the list's source that found `version` again without reading it (an HTTP
   * 304): `checkedAt` moves, nothing else. False when `version` is no longer the current one.
   */
  async recordCheck(listId: string, version: string, at: Date): Promise<boolean> {
    assertListId(listId);
    const recorded = await this.guard(() =>
      this.run(
        RECORD_CHECK_SCRIPT,
        [this.keys.current(listId), this.keys.meta(listId, version)],
        [version, at.toISOString()],
      ),
    );
    return recorded === 1;
  }

  /** Records that the version was announced on `lists.v1`. */
  async markAnnounced(listId: string, version: string, at: string): Promise<void> {
    assertListId(listId);
    await this.guard(() => this.redis.hset(this.keys.meta(listId, version), 'announcedAt', at));
  }

  /** The versions a list was switched to and are still kept, oldest first, with when. */
  async history(listId: string): Promise<Array<{ version: string; switchedAt: string }>> {
    assertListId(listId);
    const flat = await this.guard(() =>
      this.redis.zrange(this.keys.history(listId), 0, -1, 'WITHSCORES'),
    );
    const out: Array<{ version: string; switchedAt: string }> = [];
    for (let i = 0; i < flat.length; i += 2) {
      out.push({ version: flat[i], switchedAt: new Date(Number(flat[i + 1])).toISOString() });
    }
    return out;
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
      this.withPointers((pointers) =>
        this.run(
          LOOKUP_SCRIPT,
          [
            ...this.pointerKeys(pointers),
            ...pointers.flatMap(([id, version]) =>
              version === ''
                ? []
                : [this.keys.addresses(id, version), this.keys.names(id, version)],
            ),
          ],
          [...pointerArgs(pointers), String(keys.length), ...keys, ...nameKeys],
        ),
      ),
    )) as LookupReply;
    if (reply.length === 0) {
      throw new ScreeningUnavailableError('LIST_MISSING', 'no sanctions list is loaded in Redis');
    }
    const lookup = readLookup(reply, keys, nameKeys);
    const missing = this.requiredLists.filter((id) => lookup.versions[id] === undefined);
    if (missing.length > 0) {
      throw new ScreeningUnavailableError(
        'LIST_MISSING',
        `required sanctions list not loaded in Redis: ${missing.join(', ')}`,
      );
    }
    return lookup;
  }

  /**
   * `lookup` on the given retained versions instead of the current ones (audit replay). Throws
   * UnknownVersionError naming a version that is not (or no longer) kept.
   */
  async lookupAt(
    versions: Readonly<Record<string, string>>,
    keys: readonly string[],
    nameKeys: readonly string[] = [],
  ): Promise<ListLookup> {
    const pairs = Object.entries(versions).sort(([a], [b]) => a.localeCompare(b));
    for (const [listId] of pairs) assertListId(listId);
    const reply = (await this.guard(() =>
      this.run(
        LOOKUP_AT_SCRIPT,
        [
          this.keys.registry(),
          ...pairs.flatMap(([id, version]) => [
            this.keys.meta(id, version),
            this.keys.addresses(id, version),
            this.keys.names(id, version),
          ]),
        ],
        [String(keys.length), String(pairs.length), ...pairs.flat(), ...keys, ...nameKeys],
      ).catch((error: unknown) => {
        const match = /SEKIMORI_UNKNOWN_VERSION (\S+)/.exec(String((error as Error).message));
        if (match) throw new UnknownVersionError(match[1]);
        throw error;
      }),
    )) as LookupReply;
    return readLookup(reply, keys, nameKeys);
  }

  /** The current version of every registered list, with its meta (for logs and health). */
  async currentVersions(): Promise<VersionMeta[]> {
    const reply = (await this.guard(() =>
      this.withPointers((pointers) =>
        this.run(
          VERSIONS_SCRIPT,
          [
            ...this.pointerKeys(pointers),
            ...pointers.flatMap(([id, version]) =>
              version === '' ? [] : [this.keys.meta(id, version)],
            ),
          ],
          pointerArgs(pointers),
        ),
      ),
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
    now: Date,
    lineage: Record<string, string>,
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
      ...lineage,
      issuedAt: list.issuedAt,
      loadedAt: now.toISOString(),
      checkedAt: now.toISOString(),
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

  /**
   * Drops old versions (DROP_OLD_SCRIPT) among those registered now; the script decides which,
   * atomically, so that a switch in between cannot make it drop the version readers use.
   */
  private async dropOld(listId: string, retain: number): Promise<unknown> {
    const candidates = await this.redis.smembers(this.keys.versions(listId));
    return this.run(
      DROP_OLD_SCRIPT,
      [
        this.keys.current(listId),
        this.keys.versions(listId),
        this.keys.history(listId),
        ...candidates.flatMap((version) => [
          this.keys.addresses(listId, version),
          this.keys.names(listId, version),
          this.keys.meta(listId, version),
        ]),
      ],
      [String(retain), ...candidates],
    );
  }

  /**
   * Runs a script that checks the pointers it is given (CHECK_POINTERS in list-scripts), with
   * the pointers last seen, reading them again after a switch. While nothing switches, a lookup
   * is one round trip; after a switch, three.
   */
  private async withPointers<T>(work: (pointers: ListPointers) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      const pointers = this.pointers ?? (await this.readPointers());
      try {
        const result = await work(pointers);
        // No list at all is not remembered: the next lookup reads again, as a loader may be on its way.
        this.pointers = pointers.length === 0 ? null : pointers;
        return result;
      } catch (error) {
        this.pointers = null;
        if (!(error instanceof Error) || !error.message.startsWith(STALE_POINTERS)) throw error;
        if (attempt >= POINTER_ATTEMPTS) {
          throw new ScreeningUnavailableError(
            'REDIS_UNAVAILABLE',
            `sanctions lists switched ${attempt} times during one lookup; retrying later`,
          );
        }
      }
    }
  }

  /** The registry and every registered list's current version: two reads, checked by the script. */
  private async readPointers(): Promise<ListPointers> {
    const ids = (await this.redis.smembers(this.keys.registry())).sort();
    if (ids.length === 0) return [];
    const versions = await this.redis.mget(ids.map((id) => this.keys.current(id)));
    return ids.map((id, i) => [id, versions[i] ?? ''] as const);
  }

  /** CHECK_POINTERS' keys: the registry, then each list's current pointer. */
  private pointerKeys(pointers: ListPointers): string[] {
    return [this.keys.registry(), ...pointers.map(([id]) => this.keys.current(id))];
  }

  private run(script: RedisScript, keys: string[], args: string[]): Promise<unknown> {
    return script.run(this.redis, keys, args);
  }

  private guard<T>(work: () => Promise<T>): Promise<T> {
    return guardRedis('sanctions list', work);
  }
}

type LookupReply = Array<string | Array<string | number>>;

/** CHECK_POINTERS' arguments: the number of lists, then each list id and its version. */
function pointerArgs(pointers: ListPointers): string[] {
  return [String(pointers.length), ...pointers.flat()];
}

/** A version asked for by id that is not kept (never loaded, or dropped beyond the retained). */
export class UnknownVersionError extends Error {
  constructor(readonly qualified: string) {
    super(`list version ${qualified} is unknown or no longer retained (LIST_RETAIN_VERSIONS)`);
    this.name = 'UnknownVersionError';
  }
}

/** The lookup scripts' flat quadruples `listId, version, hits, nameHits`, read into hits per key. */
function readLookup(
  reply: LookupReply,
  keys: readonly string[],
  nameKeys: readonly string[],
): ListLookup {
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
  return { listVersion: qualified.sort().join(','), versions, hits, nameHits };
}

/** Refuses a file whose date of issue is older than the current version's (both readable). */
function refuseOlder(list: PublishableList, current: VersionMeta): void {
  const incoming = Date.parse(list.issuedAt);
  const loaded = Date.parse(current.issuedAt);
  if (Number.isNaN(incoming) || Number.isNaN(loaded) || incoming >= loaded) return;
  throw new OlderListError(
    `the file was issued ${list.issuedAt}, before the current version ${current.version} of ${list.listId} (issued ${current.issuedAt}); load it with --force to go back to it`,
  );
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
