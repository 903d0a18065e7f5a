import { createHash } from 'node:crypto';
import type { NameMatchMethod } from '@sekimori/contracts';
import {
  decodeIdentifiers,
  type ListedIdentifiers,
  MIN_CERTAIN_ID_LENGTH,
} from '@sekimori/identifiers';
import type { NameType, PartyKind } from './name-entry';
import { formsOfNormalized, type NameForms } from './name-forms';
import { packForms, unpackForms } from './packed-forms';
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

/** What every name of one listed party shares: kept once per party, not once per name. */
type Party = Pick<StoredName, 'entityId' | 'entityName' | 'partyKind' | 'programs' | 'ids'>;

/** One name's score against the given name, before it becomes a NameCandidate. */
interface Scored {
  id: number;
  score: number;
  method: NameMatchMethod;
}

const NAME_TYPES: readonly NameType[] = ['primary', 'aka', 'fka', 'nka'];

/**
 * An in-process index over one list version's names, built once when the screener first meets
 * that version (docs/rules.md, "NAME_MATCH: the index"). Candidates come from two maps:
 * exact words (sorted) and the compact Japanese form, for exact and reordered matches in any
 * script; and blocks of each word's skeleton (its first three and last three letters), for
 * transliterated, partial and fuzzy matches. Only candidates that share a block with two of
 * the given name's words (one, for one-word names) are scored. Immutable once built.
 *
 * Stored by column, not as an object per name (docs/performance.md, "Memory"): a name is its
 * number; its party, type, normalized form and packed forms (packForms) are in arrays indexed
 * by it, and a StoredName is built only for a name that matched.
 */
export class NameSearchIndex {
  private readonly parties: Party[] = [];
  private readonly partyOf: Int32Array;
  private readonly nameTypes: Uint8Array;
  private readonly person: Uint8Array;
  /** Per name: how many word keys its forms have (the blocking step's need). */
  private readonly keyCounts: Uint8Array;
  /** Per name: the list's spelling, its normalized form and its packed forms. */
  private readonly listNames: string[] = [];
  private readonly normalized: string[] = [];
  private readonly packed: (string | null)[] = [];
  /** The few names whose forms do not pack (none in the shipped lists), as objects. */
  private readonly unpacked = new Map<number, NameForms>();
  /** Hash of the sorted words or of the compact Japanese form -> name(s) (hashKey). */
  private readonly exact = new Map<number, number | number[]>();
  /** Block text -> block id; block b's names are postingIds[postingStart[b], postingStart[b+1]). */
  private readonly blockIds = new Map<string, number>();
  private readonly postingStart: Int32Array;
  private readonly postingIds: Int32Array;
  /** Every name's block ids, one after the other: name i's are [blockStart[i], blockStart[i+1]). */
  private readonly nameBlocks: Int32Array;
  private readonly blockStart: Int32Array;
  private readonly seen: Uint32Array;
  /** Per name, during one search: the given words (bits) it shares a block with. */
  private readonly words: Uint32Array;
  private stamp = 0;
  /** Normalised identification number -> the names of the parties that hold it. */
  private readonly byIdNumber = new Map<string, number[]>();
  /** Each distinct `ids` string read once, when a match first asks for it. */
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
    const count = stored.length;
    this.partyOf = new Int32Array(count);
    this.nameTypes = new Uint8Array(count);
    this.person = new Uint8Array(count);
    this.keyCounts = new Uint8Array(count);
    this.blockStart = new Int32Array(count + 1);
    const lists: number[][] = [];
    const nameBlocks: number[] = [];
    const parties = new Map<string, number>();
    stored.forEach((s, id) => {
      const party = this.partyIndex(parties, s);
      const forms = formsOfNormalized(s.normalized);
      this.partyOf[id] = party;
      this.nameTypes[id] = NAME_TYPES.indexOf(s.nameType);
      this.person[id] = s.partyKind === 'individual' ? 1 : 0;
      this.keyCounts[id] = Math.min(forms.keys.length, 255);
      const entityName = this.parties[party].entityName;
      this.listNames.push(s.name === entityName ? entityName : s.name);
      this.normalized.push(s.normalized);
      const packed = packForms(forms);
      this.packed.push(packed);
      if (packed === null) this.unpacked.set(id, forms);
      this.addExact(hashKey(nameKey(s.normalized)), id);
      if (forms.compact !== null) this.addExact(hashKey(`\u0000${forms.compact}`), id);
      // People's Latin names also under their loose keys' blocks, for names given in kana
      // (looseKey): katakana by ear is how people's names are written; firms' many-word names
      // would make every kana search score long names for little.
      const loose = forms.script === 'latin' && s.partyKind === 'individual';
      const own = new Set<number>();
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
      for (const number of this.idNumbersOf(s.ids)) push(this.byIdNumber, number, id);
      this.blockStart[id] = nameBlocks.length;
      for (const blockId of own) nameBlocks.push(blockId);
    });
    this.blockStart[count] = nameBlocks.length;
    this.nameBlocks = Int32Array.from(nameBlocks);
    this.postingStart = new Int32Array(lists.length + 1);
    let postings = 0;
    lists.forEach((list, blockId) => {
      this.postingStart[blockId] = postings;
      postings += list.length;
    });
    this.postingStart[lists.length] = postings;
    this.postingIds = new Int32Array(postings);
    lists.forEach((list, blockId) => this.postingIds.set(list, this.postingStart[blockId]));
    this.seen = new Uint32Array(count);
    this.words = new Uint32Array(count);
  }

  get size(): number {
    return this.normalized.length;
  }

  /** A listed party's birth dates, nationalities and id numbers, as its list gave them. */
  identifiersOf(stored: StoredName): ListedIdentifiers {
    return this.identifiersIn(stored.ids);
  }

  private identifiersIn(ids: string | undefined): ListedIdentifiers {
    const text = ids ?? '';
    let found = this.identifiers.get(text);
    if (found === undefined) this.identifiers.set(text, (found = decodeIdentifiers(text)));
    return found;
  }

  private idNumbersOf(ids: string | undefined): string[] {
    if (ids === undefined) return [];
    const numbers = decodeIdentifiers(ids).ids.map((id) => id.number);
    return [...new Set(numbers.filter((n) => n.length >= MIN_CERTAIN_ID_LENGTH))];
  }

  /** One Party per distinct party (its aliases share it), found by every field it holds. */
  private partyIndex(seen: Map<string, number>, s: StoredName): number {
    const key = [s.entityId, s.entityName, s.partyKind, s.ids ?? '', ...s.programs].join('\u0000');
    let index = seen.get(key);
    if (index === undefined) {
      index = this.parties.length;
      seen.set(key, index);
      const party: Party = {
        entityId: s.entityId,
        entityName: s.entityName,
        partyKind: s.partyKind,
        programs: s.programs,
      };
      if (s.ids !== undefined) party.ids = s.ids;
      this.parties.push(party);
    }
    return index;
  }

  private addExact(hash: number, id: number): void {
    const held = this.exact.get(hash);
    if (held === undefined) this.exact.set(hash, id);
    else if (typeof held === 'number') {
      if (held !== id) this.exact.set(hash, [held, id]);
    } else if (held[held.length - 1] !== id) held.push(id);
  }

  private exactIds(key: string): readonly number[] {
    const held = this.exact.get(hashKey(key));
    return held === undefined ? NONE : typeof held === 'number' ? [held] : held;
  }

  /** Name `id` as the list stored it (the shape the index was built from). */
  private storedAt(id: number): StoredName {
    const party = this.parties[this.partyOf[id]];
    const stored: StoredName = {
      entityId: party.entityId,
      entityName: party.entityName,
      partyKind: party.partyKind,
      programs: party.programs,
      name: this.listNames[id],
      nameType: NAME_TYPES[this.nameTypes[id]],
      normalized: this.normalized[id],
    };
    if (party.ids !== undefined) stored.ids = party.ids;
    return stored;
  }

  private formsAt(id: number): NameForms {
    const packed = this.packed[id];
    return packed === null ? this.unpacked.get(id)! : unpackForms(this.normalized[id], packed);
  }

  private entityIdOf(id: number): string {
    return this.parties[this.partyOf[id]].entityId;
  }

  /**
   * The parties holding any of these normalised numbers, one candidate each: its name that
   * scores best against the given name (0, method `fuzzy`, when none is alike). The caller
   * decides, with the types and countries, whether the numbers agree. `given` is asked for only
   * when a number is listed: most transfers' id numbers are not, and their names' forms are not
   * needed then.
   */
  searchIdNumbers(given: () => NameForms | null, numbers: readonly string[]): NameCandidate[] {
    const best = new Map<string, Scored>();
    let forms: NameForms | null | undefined;
    for (const number of new Set(numbers)) {
      for (const id of this.byIdNumber.get(number) ?? []) {
        if (forms === undefined) forms = given();
        const scored = (forms && scoreNames(forms, this.formsAt(id), this.person[id] === 1)) ?? {
          score: 0,
          method: 'fuzzy' as const,
        };
        this.keepBetter(best, { id, ...scored });
      }
    }
    if (best.size === 0) return [];
    return this.candidatesOf(best).sort((a, b) => compare(a.stored.entityId, b.stored.entityId));
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

  /**
   * Computes every entry's fingerprint now rather than at the first alert (which needs one):
   * about 85 ms for OFAC's names, a stall that batch would otherwise take.
   */
  prepareFingerprints(): void {
    this.fingerprints ??= this.fingerprintAll();
  }

  private fingerprintAll(): Map<string, string> {
    const parts = new Map<string, Set<string>>();
    const own = (entityId: string): Set<string> => {
      let found = parts.get(entityId);
      if (found === undefined) parts.set(entityId, (found = new Set()));
      return found;
    };
    for (let id = 0; id < this.size; id += 1) {
      const { entityId, programs } = this.parties[this.partyOf[id]];
      const party = own(entityId);
      party.add(`n:${NAME_TYPES[this.nameTypes[id]]}:${this.normalized[id]}`);
      for (const program of programs) party.add(`p:${program}`);
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
    const found = f === null ? NO_CANDIDATES : this.search(f, thresholds);
    if (this.cache.size >= RESULT_CACHE_SIZE) this.cache.clear();
    this.cache.set(given, found.length === 0 ? NO_CANDIDATES : found);
    return found;
  }

  /**
   * The listed names that `given` matches at or above its kind's threshold, best first, at most
   * one per listed party. Not reentrant (shared scratch arrays): JavaScript runs it to the end.
   */
  search(given: NameForms, thresholds: NameThresholds): NameCandidate[] {
    const best = new Map<string, Scored>();
    const consider = (id: number): void => {
      const person = this.person[id] === 1;
      const scored = scoreNames(given, this.formsAt(id), person);
      if (scored === null) return;
      if (scored.score < (person ? thresholds.person : thresholds.entity)) return;
      this.keepBetter(best, { id, ...scored });
    };
    for (const id of this.exactIds(nameKey(given.words.join(' ')))) consider(id);
    if (given.compact !== null) {
      for (const id of this.exactIds(`\u0000${given.compact}`)) consider(id);
    }
    for (const id of this.candidates(given)) consider(id);
    if (best.size === 0) return [];
    return this.candidatesOf(best).sort(
      (a, b) => b.score - a.score || compare(a.stored.entityId, b.stored.entityId),
    );
  }

  /** Keeps, per listed party, its best-scoring name (ties: the better method, then the primary). */
  private keepBetter(best: Map<string, Scored>, scored: Scored): void {
    const entityId = this.entityIdOf(scored.id);
    const seen = best.get(entityId);
    if (!seen || this.better(scored, seen)) best.set(entityId, scored);
  }

  private better(a: Scored, b: Scored): boolean {
    if (a.score !== b.score) return a.score > b.score;
    const ma = METHOD_ORDER.indexOf(a.method);
    const mb = METHOD_ORDER.indexOf(b.method);
    if (ma !== mb) return ma < mb;
    return this.nameTypes[a.id] === PRIMARY && this.nameTypes[b.id] !== PRIMARY;
  }

  private candidatesOf(best: Map<string, Scored>): NameCandidate[] {
    return [...best.values()].map(({ id, score, method }) => ({
      stored: this.storedAt(id),
      score,
      method,
    }));
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
    const { postingStart, postingIds } = this;
    // Candidates come from each word's rare blocks; then each word counts for a candidate when
    // the candidate has any block of it, rare or common (`sergei` is common, `chemezov` rare).
    keys.forEach((key, i) => {
      const rare: number[] = [];
      const frequent: number[] = [];
      const blocks = [...blocksOf(key), ...blocksOf(given.bare[i])];
      if (given.script === 'kana') blocks.push(...looseBlocksOf(given.loose[i], false));
      for (const block of new Set(blocks)) {
        const blockId = this.blockIds.get(block);
        if (blockId === undefined) continue;
        const size = postingStart[blockId + 1] - postingStart[blockId];
        if (size <= COMMON_BLOCK) rare.push(blockId);
        else frequent.push(blockId);
      }
      common.push(frequent);
      const bit = 1 << i;
      for (const blockId of rare) {
        for (let k = postingStart[blockId]; k < postingStart[blockId + 1]; k += 1) {
          const id = postingIds[k];
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
      let mask = this.words[id];
      for (let i = 0; i < common.length; i += 1) {
        if (mask & (1 << i) || common[i].length === 0) continue;
        if (common[i].some((b) => this.hasBlock(id, b))) mask |= 1 << i;
      }
      if (bits(mask) >= Math.min(need, this.keyCounts[id])) out.push(id);
    }
    return out;
  }
}

const NONE: readonly number[] = [];

/** What a search that found nothing returns and remembers: one array for all of them. */
const NO_CANDIDATES: NameCandidate[] = Object.freeze([]) as unknown as NameCandidate[];

const PRIMARY = NAME_TYPES.indexOf('primary');

/**
 * 32-bit FNV-1a of a lookup key: the exact map keeps numbers, not 56,000 key strings. Two keys
 * that collide only make one more name a candidate; scoring still tells them apart.
 */
function hashKey(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i += 1) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function bits(set: number): number {
  let n = 0;
  for (let x = set; x !== 0; x &= x - 1) n += 1;
  return n;
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

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export type { PartyKind };
