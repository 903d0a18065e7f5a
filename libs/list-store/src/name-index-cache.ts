import { ScreeningUnavailableError } from '@sekimori/contracts';
import { guardRedis } from '@sekimori/redis';
import type { RedisClient } from '@sekimori/redis';
import {
  type ListedAddress,
  type ListNameIndex,
  NameSearchIndex,
  type StoredName,
} from '@sekimori/name-matching';
import { ListKeys, type StoredEntry } from './list-keys';

/**
 * The screener's in-process name indexes, one per list version (docs/rules.md, "NAME_MATCH:
 * the index"). A batch's lookup pins one version per list; `indexesFor` returns the indexes of
 * exactly those versions, reading a version's whole name hash (and its address hash, for the
 * entries' fingerprints) from Redis and building its index the first time the version is seen. Until that build has finished the batch waits, and a
 * version whose name hash is gone or incomplete throws LIST_MISSING (retriable): no batch is
 * ever matched against a half-built index or another version's names.
 */
export class NameIndexCache {
  private readonly keys: ListKeys;
  private readonly built = new Map<string, Promise<NameSearchIndex>>();

  constructor(
    private readonly redis: RedisClient,
    keyPrefix = 'sekimori',
  ) {
    this.keys = new ListKeys(keyPrefix);
  }

  async indexesFor(versions: Readonly<Record<string, string>>): Promise<ListNameIndex[]> {
    const ids = Object.keys(versions).sort();
    const indexes = await Promise.all(ids.map((listId) => this.indexOf(listId, versions[listId])));
    this.forgetAllBut(versions);
    return ids.map((listId, i) => ({ listId, listVersion: versions[listId], index: indexes[i] }));
  }

  /**
   * Builds the indexes of these versions ahead of the first batch that pins them (the screener
   * calls it at start, before it consumes): 1-2 s of CPU for Japan's, OFAC's and
   * the UN's names, which the first batch would otherwise wait for. Returns the names indexed.
   * Their entry fingerprints too (the first alert needs them). Nothing is forgotten here; a
   * batch's `indexesFor` still keeps only the versions it used.
   */
  async warm(versions: Readonly<Record<string, string>>): Promise<number> {
    const indexes = await Promise.all(
      Object.entries(versions).map(([listId, version]) => this.indexOf(listId, version)),
    );
    for (const index of indexes) index.prepareFingerprints();
    return indexes.reduce((n, index) => n + index.size, 0);
  }

  private indexOf(listId: string, version: string): Promise<NameSearchIndex> {
    const id = `${listId}\u0000${version}`;
    let building = this.built.get(id);
    if (!building) {
      building = this.build(listId, version);
      this.built.set(id, building);
      // A failed build is forgotten, so the retried batch reads the hash again.
      building.catch(() => this.built.delete(id));
    }
    return building;
  }

  /** Keeps only the versions the latest batch used: the old index is freed after a switch. */
  private forgetAllBut(versions: Readonly<Record<string, string>>): void {
    for (const id of this.built.keys()) {
      const [listId, version] = id.split('\u0000');
      if (versions[listId] !== version) this.built.delete(id);
    }
  }

  private async build(listId: string, version: string): Promise<NameSearchIndex> {
    const [known, nameKeys] = await guardRedis('sanctions list names', () =>
      this.redis.hmget(this.keys.meta(listId, version), 'version', 'nameKeys'),
    );
    if (known === null) {
      throw new ScreeningUnavailableError(
        'LIST_MISSING',
        `sanctions list ${listId} version ${version} is gone; its names cannot be read`,
      );
    }
    // A list published without names (addresses only) gets an index without names: its
    // entries still have fingerprints (INDIRECT_EXPOSURE clearances are bound to them).
    const stored = nameKeys === null ? [] : await this.names(listId, version, Number(nameKeys));
    return new NameSearchIndex(stored, await this.addresses(listId, version));
  }

  /**
   * The version's names, read in slices: the JSON of OFAC's names is ~10 MB, and each slice is
   * parsed and dropped before the next arrives. A version's hash never changes once written, so
   * the slices add up to the version; the count catches one dropped meanwhile.
   */
  private async names(listId: string, version: string, nameKeys: number): Promise<StoredName[]> {
    const stored: StoredName[] = [];
    const count = await this.scan(this.keys.names(listId, version), (value) =>
      stored.push(...(JSON.parse(value) as StoredName[])),
    );
    if (count !== nameKeys) {
      throw new ScreeningUnavailableError(
        'LIST_MISSING',
        `sanctions list ${listId} version ${version}: name index holds ${count} of ${nameKeys} keys`,
      );
    }
    return stored;
  }

  /**
   * Each party's listed addresses in the version, for its entry fingerprint (a new address on
   * the entry voids its clearances). Hundreds to a few thousand fields, read once per version.
   */
  private async addresses(listId: string, version: string): Promise<Map<string, ListedAddress[]>> {
    const byParty = new Map<string, ListedAddress[]>();
    await this.scan(this.keys.addresses(listId, version), (value, key) => {
      for (const entry of JSON.parse(value) as StoredEntry[]) {
        const own = byParty.get(entry.entityId);
        const address = { key, programs: entry.programs };
        if (own === undefined) byParty.set(entry.entityId, [address]);
        else own.push(address);
      }
    });
    return byParty;
  }

  /** Every field of a hash, once each, by HSCAN; the number of fields read. */
  private async scan(hash: string, each: (value: string, field: string) => void): Promise<number> {
    // HSCAN may return a field twice (only if the hash were resized meanwhile): counted once.
    const fields = new Set<string>();
    let cursor = '0';
    do {
      const [next, flat] = await guardRedis('sanctions list names', () =>
        this.redis.hscan(hash, cursor, 'COUNT', SCAN_COUNT),
      );
      cursor = next;
      for (let i = 0; i < flat.length; i += 2) {
        if (fields.has(flat[i])) continue;
        fields.add(flat[i]);
        each(flat[i + 1], flat[i]);
      }
    } while (cursor !== '0');
    return fields.size;
  }
}

/** Fields per HSCAN reply (a hint to Redis): about 40 round trips for OFAC's 41,000 names. */
const SCAN_COUNT = 1000;
