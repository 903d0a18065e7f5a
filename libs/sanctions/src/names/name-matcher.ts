import type { NameMatch } from '@sekimori/contracts';
import type { StoredName } from './name-index';
import { nameKey, normaliseName } from './normalise-name';

/**
 * Longest counterparty name that is looked up, in normalised characters. The longest name in
 * the OFAC file of 2025-11-19 has under 300; a longer input cannot match and is not sent to
 * Redis (the message size limit bounds it anyway; this keeps the lookup small).
 */
export const MAX_LOOKUP_NAME_LENGTH = 1000;

/** A counterparty name normalised once, with its lookup key. */
export interface CounterpartyName {
  normalised: string;
  key: string;
}

/** The counterparty name as looked up and matched, or null when there is nothing to look up. */
export function counterpartyNameOf(raw: string | undefined): CounterpartyName | null {
  if (raw === undefined) return null;
  const normalised = normaliseName(raw);
  if (normalised === '' || normalised.length > MAX_LOOKUP_NAME_LENGTH) return null;
  return { normalised, key: nameKey(normalised) };
}

/** The lookup key of a counterparty name, or null when there is nothing to look up. */
export function counterpartyNameKey(raw: string | undefined): string | null {
  return counterpartyNameOf(raw)?.key ?? null;
}

/** A stored name found under a key, with the list and version it came from. */
export type NameListHit = StoredName & { listId: string; listVersion: string };

/**
 * The list entries a counterparty name matches, given the names stored under its key (from the
 * store's lookup): one hit per list entry, the best name of that entry (exact before reordered,
 * then the primary name before aliases), in list and entity order. Pure.
 */
export function matchCounterpartyName(
  name: CounterpartyName | null,
  hitsByKey: ReadonlyMap<string, readonly NameListHit[]>,
): NameMatch[] {
  if (name === null) return [];
  const { normalised, key } = name;
  const best = new Map<string, NameMatch>();
  for (const stored of hitsByKey.get(key) ?? []) {
    // Equal keys mean the same words; anything else would be a corrupt index, never a match.
    if (nameKey(stored.normalised) !== key) continue;
    const hit: NameMatch = {
      listId: stored.listId,
      listVersion: stored.listVersion,
      entityId: stored.entityId,
      entityName: stored.entityName,
      programs: stored.programs,
      listedName: stored.name,
      nameType: stored.nameType,
      how: stored.normalised === normalised ? 'exact' : 'reordered',
    };
    const id = `${stored.listId}\u0000${stored.entityId}`;
    const seen = best.get(id);
    if (!seen || better(hit, seen)) best.set(id, hit);
  }
  return [...best.values()].sort(
    (a, b) => compare(a.listId, b.listId) || compare(a.entityId, b.entityId),
  );
}

function better(a: NameMatch, b: NameMatch): boolean {
  if (a.how !== b.how) return a.how === 'exact';
  return a.nameType === 'primary' && b.nameType !== 'primary';
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
