/** Versions by list id, as `lookupAt` takes them. */
export type ListVersions = Record<string, string>;

const LIST_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const VERSION = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * Reads `listId:version,...` (a decision's `listVersion`, or the replay's `--lists`). Throws an
 * Error naming the bad part; an empty text is no versions at all.
 */
export function parseListVersions(text: string): ListVersions {
  const versions: ListVersions = {};
  for (const part of text.split(',')) {
    const item = part.trim();
    if (item === '') continue;
    const at = item.indexOf(':');
    const listId = at < 0 ? item : item.slice(0, at);
    const version = at < 0 ? '' : item.slice(at + 1);
    if (!LIST_ID.test(listId) || !VERSION.test(version)) {
      throw new Error(`'${item}' is not listId:version (e.g. ofac-sdn:1a2b3c4d5e6f7a8b)`);
    }
    if (versions[listId] !== undefined && versions[listId] !== version) {
      throw new Error(`list ${listId} is named twice, with ${versions[listId]} and ${version}`);
    }
    versions[listId] = version;
  }
  return versions;
}

/** `listId:version,...`, sorted: the spelling of a decision's `listVersion`. */
export function formatListVersions(versions: ListVersions): string {
  return Object.entries(versions)
    .map(([listId, version]) => `${listId}:${version}`)
    .sort()
    .join(',');
}
