import type { NameMatch, NameOf } from '@sekimori/contracts';
import { formsOfNormalized, type NameForms } from './name-forms';
import type { NameCandidate, NameSearchIndex, NameThresholds } from './name-search-index';
import type { StoredName } from './name-index';
import { nameKey, normalizeName } from './normalize-name';

/**
 * Longest name that is screened, in normalized characters. The longest name in the OFAC file of
 * 2025-11-19 has under 300; a longer input cannot match (the message size limit bounds it
 * anyway; this keeps a hostile name from costing the batch).
 */
export const MAX_LOOKUP_NAME_LENGTH = 1000;

/**
 * One name of a transfer. Its forms are worked out on first use only: most names are found in
 * the index's cache of names already screened against the same version (an account holder's
 * name comes back with every transfer of the account).
 */
export interface ScreenedName {
  nameOf: NameOf;
  /** As the exchange holds it: it goes into the alert's `givenName`, never into a log. */
  given: string;
  /** Null when nothing is left to match once normalized, or the name is absurdly long. */
  forms: () => NameForms | null;
}

/** The name as screened, or null when there is none. */
export function screenedNameOf(raw: string | undefined, nameOf: NameOf): ScreenedName | null {
  if (raw === undefined || raw.trim() === '') return null;
  let forms: NameForms | null | undefined;
  return {
    nameOf,
    given: raw,
    forms: () => {
      if (forms === undefined) {
        const normalized = normalizeName(raw);
        const usable = normalized !== '' && normalized.length <= MAX_LOOKUP_NAME_LENGTH;
        forms = usable ? formsOfNormalized(normalized) : null;
      }
      return forms;
    },
  };
}

/** One list version's in-process name index, as the batch's lookup pinned it. */
export interface ListNameIndex {
  listId: string;
  listVersion: string;
  index: NameSearchIndex;
}

/**
 * The list entries the names match: at most one match per (name, list entry), the best of that
 * entry's names; in name order, then list and entity order. Pure: the indexes are built already.
 */
export function matchNames(
  names: ReadonlyArray<ScreenedName | null>,
  indexes: readonly ListNameIndex[],
  thresholds: NameThresholds,
): NameMatch[] {
  const out: NameMatch[] = [];
  for (const name of names) {
    if (name === null) continue;
    const found: NameMatch[] = [];
    for (const list of indexes) {
      for (const c of list.index.searchName(name.given, name.forms, thresholds)) {
        found.push(nameMatchOf(list, c, name));
      }
    }
    out.push(...found.sort(byListEntry));
  }
  return out;
}

/** The NAME_MATCH record of one candidate the index found for a name (its score, or `score`). */
export function nameMatchOf(
  list: ListNameIndex,
  candidate: NameCandidate,
  name: ScreenedName,
  score = candidate.score,
): NameMatch {
  const { stored } = candidate;
  return {
    listId: list.listId,
    listVersion: list.listVersion,
    entityId: stored.entityId,
    entityName: stored.entityName,
    programs: stored.programs,
    listedName: stored.name,
    nameType: stored.nameType,
    givenName: name.given,
    nameOf: name.nameOf,
    score: Math.round(score * 1000) / 1000,
    method: candidate.method,
  };
}

/** A name's matches in list, then entity, order. */
export function byListEntry(a: NameMatch, b: NameMatch): number {
  return compare(a.listId, b.listId) || compare(a.entityId, b.entityId);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The key of a name in a list version's name hash (its sorted normalized words), or null when
 * there is nothing to look up. The screener reads whole name hashes into NameSearchIndex; the
 * store's key lookup stays for tools and tests that ask for one name.
 */
export function counterpartyNameKey(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  const normalized = normalizeName(raw);
  if (normalized === '' || normalized.length > MAX_LOOKUP_NAME_LENGTH) return null;
  return nameKey(normalized);
}

/** A stored name found under a key, with the list and version it came from. */
export type NameListHit = StoredName & { listId: string; listVersion: string };
