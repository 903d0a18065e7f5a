import { ScreeningUnavailableError } from '@sekimori/contracts';
import { guardRedis } from '@sekimori/redis';
import type { RedisClient } from '@sekimori/redis';
import { type ListNameIndex, NameSearchIndex, type StoredName } from '@sekimori/name-matching';
import { ListKeys } from './list-keys';

/**
 * The screener's in-process name indexes, one per list version (docs/rules.md, "NAME_MATCH:
 * the index"). A batch's lookup pins one version per list; `indexesFor` returns the indexes of
 * exactly those versions, reading a version's whole name hash from Redis and building its index
 * the first time the version is seen. Until that build has finished the batch waits, and a
 * version whose name hash is gone or incomplete throws LIST_MISSING (retriable): no batch is
 * ever matched against a half-built index or another version's names.
 */
export class NameIndexCache {
  private readonly keys: ListKeys;
  private readonly built = new Map<string, Promise<NameSearchIndex | null>>();

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
    const out: ListNameIndex[] = [];
    ids.forEach((listId, i) => {
      const index = indexes[i];
      if (index !== null) out.push({ listId, listVersion: versions[listId], index });
    });
    return out;
  }

  /**
   * Builds the indexes of these versions ahead of the first batch that pins them (the screener
   * calls it at start, before it consumes): 1-2 s of CPU for Japan's, OFAC's and
   * the UN's names, which the first batch would otherwise wait for. Returns the names indexed.
   * Nothing is forgotten here; a batch's `indexesFor` still keeps only the versions it used.
   */
  async warm(versions: Readonly<Record<string, string>>): Promise<number> {
    const indexes = await Promise.all(
      Object.entries(versions).map(([listId, version]) => this.indexOf(listId, version)),
    );
    return indexes.reduce((n, index) => n + (index?.size ?? 0), 0);
  }

  private indexOf(listId: string, version: string): Promise<NameSearchIndex | null> {
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

  private async build(listId: string, version: string): Promise<NameSearchIndex | null> {
    const [known, nameKeys] = await guardRedis('sanctions list names', () =>
      this.redis.hmget(this.keys.meta(listId, version), 'version', 'nameKeys'),
    );
    if (known === null) {
      throw new ScreeningUnavailableError(
        'LIST_MISSING',
        `sanctions list ${listId} version ${version} is gone; its names cannot be read`,
      );
    }
    if (nameKeys === null) return null; // a list published without names (addresses only)
    // Read in slices: the JSON of OFAC's names is ~10 MB, and each slice is parsed and dropped
    // before the next arrives. A version's hash never changes once written, so the slices add
    // up to the version; the count below catches one dropped meanwhile.
    const stored: StoredName[] = [];
    // HSCAN may return a field twice (only if the hash were resized meanwhile): counted once.
    const fields = new Set<string>();
    let cursor = '0';
    do {
      const [next, flat] = await guardRedis('sanctions list names', () =>
        this.redis.hscan(this.keys.names(listId, version), cursor, 'COUNT', SCAN_COUNT),
      );
      cursor = next;
      for (let i = 0; i < flat.length; i += 2) {
        if (fields.has(flat[i])) continue;
        fields.add(flat[i]);
        stored.push(...(JSON.parse(flat[i + 1]) as StoredName[]));
      }
    } while (cursor !== '0');
    const count = fields.size;
    if (count !== Number(nameKeys)) {
      throw new ScreeningUnavailableError(
        'LIST_MISSING',
        `sanctions list ${listId} version ${version}: name index holds ${count} of ${nameKeys} keys`,
      );
    }
    return new NameSearchIndex(stored);
  }
}

/** Fields per HSCAN reply (a hint to Redis): about 40 round trips for OFAC's 41,000 names. */
const SCAN_COUNT = 1000;
