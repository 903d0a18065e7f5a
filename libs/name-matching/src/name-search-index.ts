import { createHash } from 'node:crypto';
import type { NameMatchMethod } from '@sekimori/contracts';
import {
  decodeIdentifiers,
  type ListedIdentifiers,
  MIN_CERTAIN_ID_LENGTH,
} from '@sekimori/identifiers';
import type { PartyKind } from './name-entry';
import { formsOfNormalized, type NameForms } from './name-forms';
import type { StoredName } from './name-index';
import { nameKey } from './normalize-name';
import { scoreNames } from './name-score';

/**
 * The lowest score that matches, per kind of listed party. People get the lower bar because a
 * missing patronymic or a romanisation costs a person's name more than a firm's; a firm whose
 * name is alike but not the same is usually another firm. Measured in docs/rules.md.
 */
export interface NameThresholds {
  person: number;
  entity: number;
}

export const DEFAULT_NAME_THRESHOLDS: NameThresholds = { person: 0.9, entity: 0.94 };

/** A party's listed address as its entry fingerprint counts it: the entry key and programmes. */
export interface ListedAddress {
  key: string;
  programs: readonly string[];
}

/** One listed name the index found for a given name, with its score. */
export interface NameCandidate {
  stored: StoredName;
  score: number;
  method: NameMatchMethod;
}

/**
 * A block shared by more names than this is too common to propose candidates (`moh`, `ali`,
 * `kim`): a word whose blocks are all that common counts only for candidates that a rarer word
 * proposed. Lower is faster and loses the rare name spelled wrong in both its rare blocks.
 */
const COMMON_BLOCK = 400;

/**
 * The version of entryFingerprint's formula, the fingerprint's prefix. `f2` added the listed
 * addresses; a clearance recorded under an earlier formula (no prefix) is voided with a reason
 * that says so (docs/reviews.md), never compared with a fingerprint made another way.
 */
export const ENTRY_FINGERPRINT_FORMULA = 'f2';

/** Names remembered per version (searchName): about 2 MB at 20,000 names, most with no match. */
const RESULT_CACHE_SIZE = 20_000;

interface Indexed {
  stored: StoredName;
  forms: NameForms;
  person: boolean;
}

/**
 * An in-process index over one list version's names, built once when the screener first meets
 * that version (docs/rules.md, "NAME_MATCH: the index"). Candidates come from two maps:
 * exact words (sorted) and the compact Japanese form, for exact and reordered matches in any
 * script; and blocks of each word's skeleton (its first three and last three letters), for
 * transliterated, partial and fuzzy matches. Only candidates that share a block with two of
 * the given name's words (one, for one-word names) are scored. Immutable once built.
 */
export class NameSearchIndex {
  private readonly names: Indexed[] = [];
  private readonly exact = new Map<string, number[]>();
  /** Block text -> block id; postings[id] are the names with that block, in name order. */
  private readonly blockIds = new Map<string, number>();
  private readonly postings: Int32Array[] = [];
  /** Every name's block ids, one after the other: name i's are [blockStart[i], blockStart[i+1]). */
  private readonly nameBlocks: Int32Array;
  private readonly blockStart: number[] = [];
  private readonly seen: Uint32Array;
  /** Per name, during one search: the given words (bits) it shares a block with. */
  private readonly words: Uint32Array;
  private stamp = 0;
  /** Normalised identification number -> the names of the parties that hold it. */
  private readonly byIdNumber = new Map<string, number[]>();
  /** Each distinct `ids` string read once (a party's aliases share it). */
  private readonly identifiers = new Map<string, ListedIdentifiers>();
  private readonly cache = new Map<string, NameCandidate[]>();
  private cachedFor: NameThresholds | null = null;

  /**
   * @param listedAddresses entityId -> the party's listed addresses in this version, by entry
   *   key, with the programmes the list gave them: they count in its fingerprint, not in matching.
   */
  constructor(
    stored: readonly StoredName[],
    private readonly listedAddresses: ReadonlyMap<string, readonly ListedAddress[]> = new Map(),
  ) {
    const lists: number[][] = [];
    const nameBlocks: number[] = [];
    const shared = new Sharing();
    for (const raw of stored) {
      const s = shared.name(raw);
      const forms = shared.forms(formsOfNormalized(s.normalized));
      const id = this.names.length;
      const own = new Set<number>();
      push(this.exact, nameKey(s.normalized), id);
      if (forms.compact !== null) push(this.exact, `\u0000${forms.compact}`, id);
      // People's Latin names also under their loose keys' blocks, for names given in kana
      // (looseKey): katakana by ear is how people's names are written; firms' many-word names
      // would make every kana search score long names for little.
      const loose = forms.script === 'latin' && s.partyKind === 'individual';
      forms.keys.forEach((key, i) => {
        const blocks = [...blocksOf(key), ...blocksOf(forms.bare[i])];
        if (loose) blocks.push(...looseBlocksOf(forms.loose[i], true));
        for (const block of blocks) {
          let blockId = this.blockIds.get(block);
          if (blockId === undefined) {
            blockId = lists.length;
            this.blockIds.set(block, blockId);
            lists.push([]);
          }
          own.add(blockId);
        }
      });
      for (const blockId of own) lists[blockId].push(id);
      for (const number of this.idNumbersOf(s)) push(this.byIdNumber, number, id);
      this.names.push({
        stored: s,
        forms,
        person: s.partyKind === 'individual',
      });
      this.blockStart.push(nameBlocks.length);
      for (const blockId of own) nameBlocks.push(blockId);
    }
    this.blockStart.push(nameBlocks.length);
    this.nameBlocks = Int32Array.from(nameBlocks);
    for (const list of lists) this.postings.push(Int32Array.from(list));
    this.seen = new Uint32Array(this.names.length);
    this.words = new Uint32Array(this.names.length);
  }

  get size(): number {
    return this.names.length;
  }

  /** A listed party's birth dates, nationalities and id numbers, as its list gave them. */
  identifiersOf(stored: StoredName): ListedIdentifiers {
    const text = stored.ids ?? '';
    let found = this.identifiers.get(text);
    if (found === undefined) this.identifiers.set(text, (found = decodeIdentifiers(text)));
    return found;
  }

  private idNumbersOf(stored: StoredName): string[] {
    if (stored.ids === undefined) return [];
    const numbers = this.identifiersOf(stored).ids.map((id) => id.number);
    return [...new Set(numbers.filter((n) => n.length >= MIN_CERTAIN_ID_LENGTH))];
  }

  /**
   * The parties holding any of these normalised numbers, one candidate each: its name that
   * scores best against `given` (0, method `fuzzy`, when none is alike). The caller decides,
   * with the types and countries, whether the numbers agree.
   */
  searchIdNumbers(given: NameForms | null, numbers: readonly string[]): NameCandidate[] {
    const best = new Map<string, NameCandidate>();
    for (const number of new Set(numbers)) {
      for (const id of this.byIdNumber.get(number) ?? []) {
        const entry = this.names[id];
        const scored = (given && scoreNames(given, entry.forms, entry.person)) ?? {
          score: 0,
          method: 'fuzzy' as const,
        };
        const seen = best.get(entry.stored.entityId);
        if (!seen || better(scored, entry.stored, seen)) {
          best.set(entry.stored.entityId, { stored: entry.stored, ...scored });
        }
      }
    }
    return [...best.values()].sort((a, b) => compare(a.stored.entityId, b.stored.entityId));
  }

  /**
   * What a clearance is bound to: the entry's names and aliases (normalized, with their types),
   * its programmes and its listed addresses in this version, hashed; '' when the version does
   * not list the entity. A new alias or address, or a re-designation, gives another fingerprint;
   * the same entry in another load of the same source gives the same one.
   */
  entryFingerprint(entityId: string): string {
    this.fingerprints ??= this.fingerprintAll();
    return this.fingerprints.get(entityId) ?? '';
  }

  private fingerprints: Map<string, string> | null = null;

  private fingerprintAll(): Map<string, string> {
    const parts = new Map<string, Set<string>>();
    const own = (entityId: string): Set<string> => {
      let found = parts.get(entityId);
      if (found === undefined) parts.set(entityId, (found = new Set()));
      return found;
    };
    for (const { stored } of this.names) {
      const party = own(stored.entityId);
      party.add(`n:${stored.nameType}:${stored.normalized}`);
      for (const program of stored.programs) party.add(`p:${program}`);
    }
    for (const [entityId, addresses] of this.listedAddresses) {
      const party = own(entityId);
      for (const { key, programs } of addresses) {
        party.add(`a:${key}`);
        for (const program of programs) party.add(`p:${program}`);
      }
    }
    const out = new Map<string, string>();
    for (const [entityId, party] of parts) {
      const text = [...party].sort().join('\n');
      const hash = createHash('sha256').update(text).digest('hex').slice(0, 32);
      out.set(entityId, `${ENTRY_FINGERPRINT_FORMULA}:${hash}`);
    }
    return out;
  }

  /**
   * `search` for a name as the exchange gave it, remembered for this version: an account
   * holder's name comes back with each of the account's transfers, and a list version is
   * immutable, so the answer stays right until the version changes (a new index). Bounded,
   * and cleared whole when full or when other thresholds are asked for.
   */
  searchName(
    given: string,
    forms: () => NameForms | null,
    thresholds: NameThresholds,
  ): NameCandidate[] {
    if (this.cachedFor !== thresholds) {
      this.cache.clear();
      this.cachedFor = thresholds;
    }
    const known = this.cache.get(given);
    if (known !== undefined) return known;
    const f = forms();
    const found = f === null ? [] : this.search(f, thresholds);
    if (this.cache.size >= RESULT_CACHE_SIZE) this.cache.clear();
    this.cache.set(given, found);
    return found;
  }

  /**
   * The listed names that `given` matches at or above its kind's threshold, best first, at most
   * one per listed party. Not reentrant (shared scratch arrays): JavaScript runs it to the end.
   */
  search(given: NameForms, thresholds: NameThresholds): NameCandidate[] {
    const best = new Map<string, NameCandidate>();
    const consider = (id: number): void => {
      const entry = this.names[id];
      const scored = scoreNames(given, entry.forms, entry.person);
      if (scored === null) return;
      if (scored.score < (entry.person ? thresholds.person : thresholds.entity)) return;
      const seen = best.get(entry.stored.entityId);
      if (!seen || better(scored, entry.stored, seen)) {
        best.set(entry.stored.entityId, { stored: entry.stored, ...scored });
      }
    };
    for (const id of this.exact.get(nameKey(given.words.join(' '))) ?? []) consider(id);
    if (given.compact !== null) {
      for (const id of this.exact.get(`\u0000${given.compact}`) ?? []) consider(id);
    }
    for (const id of this.candidates(given)) consider(id);
    return [...best.values()].sort(
      (a, b) => b.score - a.score || compare(a.stored.entityId, b.stored.entityId),
    );
  }

  private hasBlock(id: number, blockId: number): boolean {
    for (let k = this.blockStart[id]; k < this.blockStart[id + 1]; k += 1) {
      if (this.nameBlocks[k] === blockId) return true;
    }
    return false;
  }

  private candidates(given: NameForms): number[] {
    const keys = given.keys.length > 31 ? given.keys.slice(0, 31) : given.keys;
    if (keys.length === 0) return [];
    if (this.stamp > 0xfff00000) {
      this.seen.fill(0);
      this.stamp = 0;
    }
    const search = ++this.stamp;
    const touched: number[] = [];
    const common: number[][] = [];
    // Candidates come from each word's rare blocks; then each word counts for a candidate when
    // the candidate has any block of it, rare or common (`sergei` is common, `chemezov` rare).
    keys.forEach((key, i) => {
      const rare: Int32Array[] = [];
      const frequent: number[] = [];
      const blocks = [...blocksOf(key), ...blocksOf(given.bare[i])];
      if (given.script === 'kana') blocks.push(...looseBlocksOf(given.loose[i], false));
      for (const block of new Set(blocks)) {
        const blockId = this.blockIds.get(block);
        if (blockId === undefined) continue;
        const posting = this.postings[blockId];
        if (posting.length <= COMMON_BLOCK) rare.push(posting);
        else frequent.push(blockId);
      }
      common.push(frequent);
      const bit = 1 << i;
      for (const posting of rare) {
        for (let k = 0; k < posting.length; k += 1) {
          const id = posting[k];
          if (this.seen[id] !== search) {
            this.seen[id] = search;
            this.words[id] = 0;
            touched.push(id);
          }
          this.words[id] |= bit;
        }
      }
    });
    // Every word of a shorter name, at most three, Latin initials not counted (no block of theirs):
    // a full Russian name (`Ivan Ivanovich Ivanov`) shares `ivan` and `-ovich` with hundreds of
    // listed names, its surname with few.
    // One kana (Korean イ, オ) is a syllable and counts; one Latin letter is an initial.
    const syllables = keys.filter((k, i) => k.length > 1 || !/^[a-z]$/.test(given.words[i]));
    const need = Math.max(1, Math.min(syllables.length, 3));
    const out: number[] = [];
    for (const id of touched) {
      const entry = this.names[id];
      let mask = this.words[id];
      for (let i = 0; i < common.length; i += 1) {
        if (mask & (1 << i) || common[i].length === 0) continue;
        if (common[i].some((b) => this.hasBlock(id, b))) mask |= 1 << i;
      }
      if (bits(mask) >= Math.min(need, entry.forms.keys.length)) out.push(id);
    }
    return out;
  }
}

function bits(set: number): number {
  let n = 0;
  for (let x = set; x !== 0; x &= x - 1) n += 1;
  return n;
}

/**
 * One copy of each entity's name, program list and word, however many names share them: the
 * JSON each version's names are read from repeats them for every alias (about a third of the
 * index's memory before).
 */
class Sharing {
  private readonly strings = new Map<string, string>();
  private readonly programs = new Map<string, string[]>();

  /** The same words in many names (`sergei`, `al`, `company`) kept once. */
  forms(f: NameForms): NameForms {
    const words = f.words.map((w) => this.string(w));
    const keys = f.keys.map((k) => this.string(k));
    const bare = f.bare === f.keys ? keys : f.bare.map((b) => this.string(b));
    const loose = f.loose.map((k) => this.string(k));
    return { ...f, words, keys, bare, loose };
  }

  name(s: StoredName): StoredName {
    const key = s.programs.join('\u0000');
    let programs = this.programs.get(key);
    if (!programs) this.programs.set(key, (programs = s.programs));
    const shared = { ...s, entityName: this.string(s.entityName), programs };
    // One copy of a party's identifiers for all its aliases.
    if (s.ids !== undefined) shared.ids = this.string(s.ids);
    return shared;
  }

  private string(text: string): string {
    const seen = this.strings.get(text);
    if (seen !== undefined) return seen;
    this.strings.set(text, text);
    return text;
  }
}

/** The blocks of one word's skeleton: its first three and its last three letters. */
function blocksOf(key: string): string[] {
  if (key.length <= 3) return [`<${key}`];
  return [`<${key.slice(0, 3)}`, `>${key.slice(-3)}`];
}

/**
 * The blocks of a loose key (looseKey), apart from the skeleton's: only kana names look them up.
 * A listed syllable of three letters is also an end (`Tae Hun` given as テフン, `tehun`).
 */
function looseBlocksOf(key: string, listed: boolean): string[] {
  if (key.length <= 3) return listed && key.length === 3 ? [`~<${key}`, `~>${key}`] : [`~<${key}`];
  return [`~<${key.slice(0, 3)}`, `~>${key.slice(-3)}`];
}

function push(map: Map<string, number[]>, key: string, id: number): void {
  const list = map.get(key);
  if (list) {
    if (list[list.length - 1] !== id) list.push(id);
  } else map.set(key, [id]);
}

const METHOD_ORDER: readonly NameMatchMethod[] = [
  'exact',
  'reordered',
  'transliterated',
  'partial',
  'fuzzy',
];

function better(
  a: { score: number; method: NameMatchMethod },
  stored: StoredName,
  b: NameCandidate,
): boolean {
  if (a.score !== b.score) return a.score > b.score;
  const ma = METHOD_ORDER.indexOf(a.method);
  const mb = METHOD_ORDER.indexOf(b.method);
  if (ma !== mb) return ma < mb;
  return stored.nameType === 'primary' && b.stored.nameType !== 'primary';
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export type { PartyKind };
