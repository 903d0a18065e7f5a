import { ScreeningUnavailableError, UnknownVersionError } from '@sekimori/contracts';
import type { NameListHit, StoredName } from '@sekimori/name-matching';
import type { ListHit, ListLookup } from '@sekimori/screening';
import { assertListId, type StoredEntry } from './list-keys';
import type { CurrentPointers } from './list-pointers';
import { guardLists, type ListRedis } from './list-redis';
import { LOOKUP_AT_SCRIPT, LOOKUP_SCRIPT } from './list-scripts';

type LookupReply = Array<string | Array<string | number>>;

/** Addresses and names looked up on the current versions (screening) or on given ones (audit). */
export class ListLookups {
  /**
   * @param requiredLists lists `lookup` insists on (fail closed): when one of them has no
   *   current version, the lookup throws LIST_MISSING although other lists are loaded. Empty:
   *   any one loaded list will do (tests, tools).
   */
  constructor(
    private readonly store: ListRedis,
    private readonly pointers: CurrentPointers,
    private readonly requiredLists: readonly string[],
  ) {}

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
    const { keys: at } = this.store;
    const reply = (await guardLists(() =>
      this.pointers.runChecked(
        LOOKUP_SCRIPT,
        (id, version) => [at.addresses(id, version), at.names(id, version)],
        [String(keys.length), ...keys, ...nameKeys],
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
    const { redis, keys: at } = this.store;
    const reply = (await guardLists(() =>
      LOOKUP_AT_SCRIPT.run(
        redis,
        [
          at.registry(),
          ...pairs.flatMap(([id, version]) => [
            at.meta(id, version),
            at.addresses(id, version),
            at.names(id, version),
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
