import { createHash } from 'node:crypto';
import type { ListEntry } from './list-entry';

/**
 * A version id derived from the content alone: the same entries give the same id whatever the
 * file's date, order or formatting, so reloading an unchanged list is recognised and costs
 * nothing. 16 hex chars (64 bits) keep Redis keys and alert fields short; a collision between
 * two versions of one list is not a realistic risk at that width.
 */
export function computeListVersion(listId: string, entries: readonly ListEntry[]): string {
  const lines = entries.map((e) =>
    JSON.stringify([
      e.key,
      e.chain,
      e.address,
      e.entityId,
      e.entityName,
      [...e.programs].sort(),
      e.tag,
    ]),
  );
  lines.sort();
  const hash = createHash('sha256');
  hash.update(`${listId}\n`);
  for (const line of lines) hash.update(`${line}\n`);
  return hash.digest('hex').slice(0, 16);
}
