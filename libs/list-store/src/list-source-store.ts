import { guardRedis, type RedisClient } from '@sekimori/redis';
import { assertListId, ListKeys } from './list-keys';

/**
 * What the list updater remembers of a source after a fetch it published or found unchanged:
 * the validators the server gave and the version that response held. It asks with them only
 * while that version is still current, so a 304 can never stand for a list Redis does not hold.
 */
export interface ListSourceState {
  url: string;
  etag: string | null;
  lastModified: string | null;
  version: string;
  checkedAt: string;
}

/** The updater's per-source memory, in Redis beside the list it feeds (ListKeys.source). */
export class ListSourceStore {
  private readonly keys: ListKeys;

  constructor(
    private readonly redis: RedisClient,
    keyPrefix = 'sekimori',
  ) {
    this.keys = new ListKeys(keyPrefix);
  }

  async get(listId: string): Promise<ListSourceState | null> {
    assertListId(listId);
    const m = await guardRedis('list source', () => this.redis.hgetall(this.keys.source(listId)));
    if (!m.url || !m.version) return null;
    return {
      url: m.url,
      etag: m.etag || null,
      lastModified: m.lastModified || null,
      version: m.version,
      checkedAt: m.checkedAt ?? '',
    };
  }

  async save(listId: string, state: ListSourceState): Promise<void> {
    assertListId(listId);
    await guardRedis('list source', () =>
      this.redis.hset(this.keys.source(listId), {
        url: state.url,
        etag: state.etag ?? '',
        lastModified: state.lastModified ?? '',
        version: state.version,
        checkedAt: state.checkedAt,
      }),
    );
  }

  /** Forgets the validators, so the next fetch downloads the whole file again. */
  async forget(listId: string): Promise<void> {
    assertListId(listId);
    await guardRedis('list source', () => this.redis.del(this.keys.source(listId)));
  }
}
