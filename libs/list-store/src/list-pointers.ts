import { ScreeningUnavailableError } from '@sekimori/contracts';
import type { RedisScript } from '@sekimori/redis';
import type { ListRedis } from './list-redis';
import { STALE_POINTERS } from './list-scripts';

/** Every registered list with its current version ('' when it has none), sorted by list id. */
export type ListPointers = ReadonlyArray<readonly [listId: string, version: string]>;

/**
 * Reads of the pointers before a lookup gives up as unavailable (the batch is held and retried):
 * each retry follows a switch made since the last read, and switches take far longer than a read.
 */
const POINTER_ATTEMPTS = 10;

/**
 * The lists' `current` pointers as the last script found them. A script that relies on them
 * checks them (CHECK_POINTERS in list-scripts); after a switch they are read again and the
 * script retried. While nothing switches, a lookup is one round trip; after a switch, three.
 */
export class CurrentPointers {
  private last: ListPointers | null = null;

  constructor(private readonly store: ListRedis) {}

  private async withPointers<T>(work: (pointers: ListPointers) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      const pointers = this.last ?? (await this.read());
      try {
        const result = await work(pointers);
        // No list at all is not remembered: the next lookup reads again, as a loader may be on its way.
        this.last = pointers.length === 0 ? null : pointers;
        return result;
      } catch (error) {
        this.last = null;
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

  /**
   * Runs a script that starts with CHECK_POINTERS: its keys and arguments, then `listKeys` of
   * each list that has a version, then `args`.
   */
  runChecked(
    script: RedisScript,
    listKeys: (listId: string, version: string) => string[],
    args: readonly string[] = [],
  ): Promise<unknown> {
    const { redis, keys } = this.store;
    return this.withPointers((pointers) =>
      script.run(
        redis,
        [
          keys.registry(),
          ...pointers.map(([id]) => keys.current(id)),
          ...pointers.flatMap(([id, version]) => (version === '' ? [] : listKeys(id, version))),
        ],
        [String(pointers.length), ...pointers.flat(), ...args],
      ),
    );
  }

  /** The registry and every registered list's current version: two reads, checked by the script. */
  private async read(): Promise<ListPointers> {
    const { redis, keys } = this.store;
    const ids = (await redis.smembers(keys.registry())).sort();
    if (ids.length === 0) return [];
    const versions = await redis.mget(ids.map((id) => keys.current(id)));
    return ids.map((id, i) => [id, versions[i] ?? ''] as const);
  }
}
