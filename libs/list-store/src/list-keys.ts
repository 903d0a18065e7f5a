import type { ListEntry } from '@sekimori/list-sources';

/**
 * Every Redis key of the sanctions list store, in one place.
 *
 * All keys start with the hash tag `{<prefix>}` so that Redis Cluster puts them in one slot:
 * the lookup and switch scripts read the registry, a list's current pointer and that version's
 * hash in a single atomic execution, and a script may only touch keys of one slot. The data is
 * small (hundreds to a few thousand addresses), so one slot is no capacity problem.
 *
 * Layout (prefix `sekimori`, list `ofac-sdn`, version `1a2b3c4d5e6f7a8b`):
 *   {sekimori}:lists:registry                          SET    list ids ever published
 *   {sekimori}:lists:ofac-sdn:current                  STRING the version readers use
 *   {sekimori}:lists:ofac-sdn:versions                 SET    versions written and not yet dropped
 *   {sekimori}:lists:ofac-sdn:history                  ZSET   versions switched to, by switch time (ms)
 *   {sekimori}:lists:ofac-sdn:v:1a2b3c4d5e6f7a8b:addr  HASH   entry key -> JSON array of entries
 *   {sekimori}:lists:ofac-sdn:v:1a2b3c4d5e6f7a8b:names HASH  name key -> JSON array of names (NAME_MATCH)
 *   {sekimori}:lists:ofac-sdn:v:1a2b3c4d5e6f7a8b:meta  HASH   version, issuedAt, loadedAt, checkedAt,
 *                                                             counts, added/removed against the one before
 *   {sekimori}:lists:ofac-sdn:source                   HASH   the updater's last fetch: url, etag,
 *                                                             lastModified, the version it held
 *   {sekimori}:lists:switched                          pub/sub channel, one message per switch
 */
export class ListKeys {
  /** `{prefix}:lists:`; the scripts append list ids and versions to it themselves. */
  readonly base: string;

  constructor(readonly prefix: string) {
    if (!/^[A-Za-z0-9._-]+$/.test(prefix)) {
      // Braces or colons in the prefix would move keys out of the hash tag or break the layout.
      throw new Error(`invalid Redis key prefix '${prefix}': use letters, digits, '.', '_' or '-'`);
    }
    this.base = `{${prefix}}:lists:`;
  }

  /** The list ids that readers look up. Written when a list is first switched to. */
  registry(): string {
    return `${this.base}registry`;
  }

  /** The version readers use for one list; switched atomically once a version is complete. */
  current(listId: string): string {
    return `${this.base}${listId}:current`;
  }

  /**
   * Every version written for a list, including one being written or abandoned by a crashed
   * loader, so that old versions are found and dropped without SCAN.
   */
  versions(listId: string): string {
    return `${this.base}${listId}:versions`;
  }

  /**
   * The versions a list was switched to, scored by when: which versions are retained for audit
   * (LIST_RETAIN_VERSIONS most recent), and which version came before which.
   */
  history(listId: string): string {
    return `${this.base}${listId}:history`;
  }

  /**
   * One version's addresses: field = the entry key from @sekimori/chains, value = JSON array of
   * the entries (one per listed party) for that key. Versioned by content, so a version's hash
   * is never modified once it is current; a new list is a new hash.
   */
  addresses(listId: string, version: string): string {
    return `${this.base}${listId}:v:${version}:addr`;
  }

  /**
   * One version's name index (NAME_MATCH): field = the sorted words of a normalized name
   * (@sekimori/name-matching), value = JSON array of the names under it. Written and dropped
   * with the version's addresses, so a reader sees the names of the version it reads.
   */
  names(listId: string, version: string): string {
    return `${this.base}${listId}:v:${version}:names`;
  }

  /** One version's description; written last, so its presence says the version is complete. */
  meta(listId: string, version: string): string {
    return `${this.base}${listId}:v:${version}:meta`;
  }

  /**
   * What the list updater remembers of a list's source between passes (ETag, Last-Modified and
   * the version that response held), so that an unchanged source answers 304 and costs nothing.
   */
  source(listId: string): string {
    return `${this.base}${listId}:source`;
  }

  /** Pub/sub channel announcing a switch (message: JSON `{ listId, version, previousVersion, issuedAt }`). */
  switchChannel(): string {
    return `${this.base}switched`;
  }
}

/** List ids become parts of keys: keep them to a plain alphabet. */
export function assertListId(listId: string): void {
  if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(listId)) {
    throw new Error(`invalid list id '${listId}': use lower-case letters, digits, '.', '_' or '-'`);
  }
}

/** An entry as its version's address hash holds it: its key is the hash field already. */
export type StoredEntry = Omit<ListEntry, 'key'>;
