import type { RedisClient } from '@sekimori/redis';
import { ListKeys } from './list-keys';
import type { ListLookup } from '@sekimori/screening';
import { ListLookups } from './list-lookups';
import { CurrentPointers } from './list-pointers';
import { type ListRedis } from './list-redis';
import {
  ListSwitch,
  type PublishableList,
  type PublishOptions,
  type PublishResult,
} from './list-switch';
import { ListVersions, type VersionMeta } from './list-versions';

/**
 * Versioned sanctions lists in Redis. A load writes a complete new version beside the current
 * one, switches the `current` pointer atomically, then drops the old version; the screener's
 * lookup reads pointer and data in one script, so it sees either the old list or the new one,
 * never a mixture, a half-written version or a dropped one.
 *
 * One client, its parts by job: ListSwitch publishes, ListLookups looks keys up, ListVersions
 * reads what is kept; the lookups and the versions share the pointers last seen.
 */
export class SanctionsListStore {
  private readonly store: ListRedis;
  private readonly versions: ListVersions;
  private readonly switcher: ListSwitch;
  private readonly lookups: ListLookups;

  /**
   * @param requiredLists lists `lookup` insists on (fail closed): when one of them has no
   *   current version, the lookup throws LIST_MISSING although other lists are loaded. Empty:
   *   any one loaded list will do (tests, tools).
   */
  constructor(redis: RedisClient, keyPrefix = 'sekimori', requiredLists: readonly string[] = []) {
    if (redis.options.keyPrefix) {
      // The keys are built here with their hash tag; an ioredis prefix would move them out of it.
      throw new Error(
        'SanctionsListStore needs an ioredis client without the keyPrefix option; pass the prefix',
      );
    }
    this.store = { redis, keys: new ListKeys(keyPrefix) };
    const pointers = new CurrentPointers(this.store);
    this.versions = new ListVersions(this.store, pointers);
    this.switcher = new ListSwitch(this.store, this.versions);
    this.lookups = new ListLookups(this.store, pointers, requiredLists);
  }

  /** The pub/sub channel on which every switch is announced (see ListSwitchMessage). */
  get switchChannel(): string {
    return this.store.keys.switchChannel();
  }

  /** See ListSwitch.publish. */
  publish(list: PublishableList, options: PublishOptions = {}): Promise<PublishResult> {
    return this.switcher.publish(list, options);
  }

  /** See ListLookups.lookup: the screener's one round trip per batch. */
  lookup(keys: readonly string[], nameKeys: readonly string[] = []): Promise<ListLookup> {
    return this.lookups.lookup(keys, nameKeys);
  }

  /** See ListLookups.lookupAt: the same on retained versions (audit replay). */
  lookupAt(
    versions: Readonly<Record<string, string>>,
    keys: readonly string[],
    nameKeys: readonly string[] = [],
  ): Promise<ListLookup> {
    return this.lookups.lookupAt(versions, keys, nameKeys);
  }

  versionKeys(listId: string, version: string): Promise<{ addresses: string[]; names: string[] }> {
    return this.versions.versionKeys(listId, version);
  }

  versionMeta(listId: string, version: string): Promise<VersionMeta | null> {
    return this.versions.versionMeta(listId, version);
  }

  recordCheck(listId: string, version: string, at: Date): Promise<boolean> {
    return this.versions.recordCheck(listId, version, at);
  }

  markAnnounced(listId: string, version: string, at: string): Promise<void> {
    return this.versions.markAnnounced(listId, version, at);
  }

  history(listId: string): Promise<Array<{ version: string; switchedAt: string }>> {
    return this.versions.history(listId);
  }

  currentVersions(): Promise<VersionMeta[]> {
    return this.versions.currentVersions();
  }

  currentVersion(listId: string): Promise<string | null> {
    return this.versions.currentVersion(listId);
  }
}
