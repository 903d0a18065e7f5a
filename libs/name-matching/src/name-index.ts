import { createHash } from 'node:crypto';
import type { NameEntry, NameType, PartyKind } from './name-entry';
import { nameKey, nameLength, nameTokens, normalizeName } from './normalize-name';

/**
 * Shortest name that is matched, in letters and digits (spaces not counted). Shorter names
 * ("LI Wei", "KIM Il", "ANSAR") are shared by too many innocent people and companies: matching
 * them exactly would hold a stream of ordinary transfers (a false-alert flood is the
 * service's third-worst failure; docs/rules.md).
 */
export const MIN_NAME_LENGTH = 8;

/** Why a list name is left out of the index, or null when it is indexed. */
export type SkipReason = 'weak' | 'generic';

/**
 * Weak aliases are never matched. Other names are matched when they have at least two words and
 * 8 letters; a single word only when it names an entity and has 8 letters or more
 * ("GARANTEX", "BLENDER.IO"): one-word names of people (nicknames, single given names),
 * vessels and aircraft are too common to hold a transfer on.
 */
export function skipReason(
  entry: NameEntry,
  normalized = normalizeName(entry.name),
): SkipReason | null {
  if (entry.lowQuality) return 'weak';
  // A kanji carries about what two Latin letters do: 後藤忠正 is as specific as "Goto Tadamasa".
  const han = (normalized.match(/\p{Script=Han}/gu) ?? []).length;
  const long = nameLength(normalized) + han >= MIN_NAME_LENGTH;
  const words = nameTokens(normalized).length;
  if (words >= 2 && long) return null;
  if (words === 1 && long && entry.partyKind === 'entity') return null;
  return 'generic';
}

/** One indexed name as stored under its key (the key is the hash field). */
export interface StoredName {
  entityId: string;
  entityName: string;
  /** Person or not: the matcher's threshold and whether a middle name may be missing. */
  partyKind: PartyKind;
  programs: string[];
  /** The list's spelling of the name. */
  name: string;
  nameType: NameType;
  /** The normalized name, so that the matcher can tell an exact match from a reordered one. */
  normalized: string;
  /** The party's secondary identifiers (NameEntry `ids`), compared with travel-rule data. */
  ids?: string;
}

export interface NameIndexCounts {
  /** Names read from the list (every alias of every party, in every script). */
  names: number;
  /** Distinct (party, normalized name) pairs indexed. */
  indexed: number;
  /** Names left out: OFAC weak aliases, and names too short to match safely. */
  skippedWeak: number;
  skippedGeneric: number;
  /** Distinct lookup keys: the fields of the version's name hash. */
  keys: number;
}

export interface NameIndex {
  /** Lookup key (sorted words) -> the names under it, in a stable order. */
  fields: Map<string, StoredName[]>;
  counts: NameIndexCounts;
}

const NAME_TYPE_ORDER: readonly NameType[] = ['primary', 'aka', 'fka', 'nka'];

/**
 * Builds the index the store writes beside a version's addresses. One party's names that
 * normalize alike (`GARANTEX EUROPE OU` and `GARANTEX EUROPE OÜ`) are indexed once, the primary
 * name first, so one match names one list entry.
 */
export function buildNameIndex(entries: readonly NameEntry[]): NameIndex {
  const counts: NameIndexCounts = {
    names: entries.length,
    indexed: 0,
    skippedWeak: 0,
    skippedGeneric: 0,
    keys: 0,
  };
  const byParty = new Map<string, StoredName>();
  for (const entry of entries) {
    const normalized = normalizeName(entry.name);
    const skip = skipReason(entry, normalized);
    if (skip === 'weak') counts.skippedWeak += 1;
    if (skip === 'generic') counts.skippedGeneric += 1;
    if (skip !== null) continue;
    const id = `${entry.entityId}\u0000${normalized}`;
    const seen = byParty.get(id);
    if (seen && rank(seen.nameType) <= rank(entry.nameType)) continue;
    byParty.set(id, {
      entityId: entry.entityId,
      entityName: entry.entityName,
      partyKind: entry.partyKind,
      programs: entry.programs,
      name: entry.name,
      nameType: entry.nameType,
      normalized,
      ...(entry.ids ? { ids: entry.ids } : {}),
    });
  }
  const fields = new Map<string, StoredName[]>();
  const sorted = [...byParty.values()].sort(
    (a, b) => compare(a.entityId, b.entityId) || compare(a.normalized, b.normalized),
  );
  for (const stored of sorted) {
    const key = nameKey(stored.normalized);
    const under = fields.get(key);
    if (under) under.push(stored);
    else fields.set(key, [stored]);
  }
  counts.indexed = byParty.size;
  counts.keys = fields.size;
  return { fields, counts };
}

/**
 * A digest of the index content, mixed into the list's version id so that a list whose names
 * changed but whose addresses did not still becomes a new version.
 */
export function nameIndexDigest(index: NameIndex): string {
  const hash = createHash('sha256');
  const keys = [...index.fields.keys()].sort(compare);
  for (const key of keys) hash.update(`${key}\u0000${JSON.stringify(index.fields.get(key))}\n`);
  return hash.digest('hex');
}

function rank(type: NameType): number {
  return NAME_TYPE_ORDER.indexOf(type);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
