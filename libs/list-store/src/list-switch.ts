import { computeListVersion, type ListEntry, type ParsedList } from '@sekimori/list-sources';
import {
  buildNameIndex,
  type NameEntry,
  type NameIndex,
  nameIndexDigest,
} from '@sekimori/name-matching';
import { createHash } from 'node:crypto';
import { assertListId, type StoredEntry } from './list-keys';
import { guardLists, type ListRedis } from './list-redis';
import { DROP_OLD_SCRIPT, SWITCH_SCRIPT } from './list-scripts';
import type { ListCounts, ListDelta, ListVersions, VersionMeta } from './list-versions';

/** Versions kept per list when the caller does not say (LIST_RETAIN_VERSIONS). */
export const DEFAULT_RETAIN_VERSIONS = 30;

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

/** A parsed list, with the names of its parties when the parser read them (OFAC does). */
export type PublishableList = ParsedList & { names?: readonly NameEntry[] };

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

/** Message on the switch channel. */
export interface ListSwitchMessage {
  listId: string;
  version: string;
  previousVersion: string | null;
  issuedAt: string;
}

/** Fields per HSET and commands per pipeline round trip while writing a version. */
const HSET_FIELDS = 500;

/**
 * Publishing: a load writes a complete new version beside the current one, switches the
 * `current` pointer atomically, then drops the versions beyond the retained ones.
 */
export class ListSwitch {
  constructor(
    private readonly store: ListRedis,
    private readonly versions: ListVersions,
  ) {}

  /**
   * Publishes a list as a new version and makes it current, or, when the content is the current
   * version's, records the check (`checkedAt`) and changes nothing else. A file older than the
   * current version's date of issue is refused (OlderListError) unless `force`.
   */
  async publish(list: PublishableList, options: PublishOptions = {}): Promise<PublishResult> {
    assertListId(list.listId);
    const { listId } = list;
    const { redis, keys } = this.store;
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
    return guardLists(async () => {
      const current = await redis.get(keys.current(listId));
      const currentMeta =
        current === null ? null : await this.versions.versionMeta(listId, current);
      if (current === version && currentMeta !== null) {
        // Same content: the version is complete and current; only the check is recorded.
        await redis.hset(keys.meta(listId, version), 'checkedAt', now.toISOString());
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
      const previous = await SWITCH_SCRIPT.run(
        redis,
        [
          keys.current(listId),
          keys.registry(),
          keys.meta(listId, version),
          keys.addresses(listId, version),
          keys.names(listId, version),
          keys.history(listId),
        ],
        [listId, version, list.issuedAt, keys.switchChannel(), String(now.getTime())],
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
        : await this.versions.versionKeys(listId, previous);
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

  /**
   * Writes the version's address hash and name index in pipelined chunks, then its meta.
   * Versions are named by content, so a field written for a version always holds the same
   * value: a leftover from a crashed load of the same content is simply completed, never wrong.
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
    const { redis, keys } = this.store;
    // Registered first, so a load that dies half way leaves a version the next cleanup finds.
    await redis.sadd(keys.versions(listId), version);
    const pipeline = redis.pipeline();
    hsetInChunks(pipeline, keys.addresses(listId, version), grouped);
    if (names) hsetInChunks(pipeline, keys.names(listId, version), names.fields);
    const nameMeta = names
      ? { nameKeys: names.counts.keys, names: JSON.stringify(names.counts) }
      : {};
    pipeline.hset(keys.meta(listId, version), {
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
    const { redis, keys } = this.store;
    const candidates = await redis.smembers(keys.versions(listId));
    return DROP_OLD_SCRIPT.run(
      redis,
      [
        keys.current(listId),
        keys.versions(listId),
        keys.history(listId),
        ...candidates.flatMap((version) => [
          keys.addresses(listId, version),
          keys.names(listId, version),
          keys.meta(listId, version),
        ]),
      ],
      [String(retain), ...candidates],
    );
  }
}

/** Queues HSETs of HSET_FIELDS fields each, every value as JSON (the OFAC names are ~80 HSETs). */
function hsetInChunks(
  pipeline: ReturnType<ListRedis['redis']['pipeline']>,
  key: string,
  fields: ReadonlyMap<string, unknown>,
): void {
  let chunk: string[] = [];
  for (const [field, value] of fields) {
    chunk.push(field, JSON.stringify(value));
    if (chunk.length >= HSET_FIELDS * 2) {
      pipeline.hset(key, ...chunk);
      chunk = [];
    }
  }
  if (chunk.length > 0) pipeline.hset(key, ...chunk);
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
