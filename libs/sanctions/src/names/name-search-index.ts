import type { NameMatchMethod } from '@sekimori/contracts';
import type { PartyKind } from './name-entry';
import { formsOfNormalised, type NameForms } from './name-forms';
import type { StoredName } from './name-index';
import { nameKey } from './normalise-name';
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

/** One listed name the index found for a given name, with its score. */
export interface NameCandidate {
  stored: StoredName;
  score: number;
  method: NameMatchMethod;
}

/**
 * A word key shared by more names than this is too common to propose candidates on its own
 * (`mohammad`, `company`); such words still count towards the second shared key.
 */
const COMMON_BLOCK = 600;

interface Indexed {
  stored: StoredName;
  forms: NameForms;
  person: boolean;
  /** The name's blocks (a few strings: an array is a tenth of a Set's memory). */
  blocks: string[];
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
  private readonly blocks = new Map<string, number[]>();
  private seen: Uint32Array;
  private stamp = 0;

  constructor(stored: readonly StoredName[]) {
    for (const s of stored) {
      const forms = formsOfNormalised(s.normalised);
      const id = this.names.length;
      const own = new Set<string>();
      push(this.exact, nameKey(s.normalised), id);
      if (forms.compact !== null) push(this.exact, `\u0000${forms.compact}`, id);
      forms.keys.forEach((key, i) => {
        for (const block of blocksOf(key)) own.add(block);
        for (const block of blocksOf(forms.bare[i])) own.add(block);
      });
      for (const block of own) push(this.blocks, block, id);
      this.names.push({ stored: s, forms, person: s.partyKind === 'individual', blocks: [...own] });
    }
    this.seen = new Uint32Array(this.names.length);
  }

  get size(): number {
    return this.names.length;
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
    if (given.compact !== null)
      for (const id of this.exact.get(`\u0000${given.compact}`) ?? []) consider(id);
    for (const id of this.candidates(given)) consider(id);
    return [...best.values()].sort(
      (a, b) => b.score - a.score || compare(a.stored.entityId, b.stored.entityId),
    );
  }

  private candidates(given: NameForms): number[] {
    const keys = given.keys;
    if (keys.length === 0) return [];
    if (this.stamp > 0xfff00000) {
      this.seen.fill(0);
      this.stamp = 0;
    }
    this.stamp += 1;
    const searchStamp = this.stamp;
    const need = keys.length === 1 ? 1 : 2;
    const out: number[] = [];
    const touched: number[] = [];
    const perWord: Array<{ blocks: string[]; rare: number[][] }> = [];
    keys.forEach((key, i) => {
      const blocks = [...new Set([...blocksOf(key), ...blocksOf(given.bare[i])])];
      const rare = blocks
        .map((b) => this.blocks.get(b) ?? [])
        .filter((p) => p.length > 0 && p.length <= COMMON_BLOCK);
      perWord.push({ blocks, rare });
    });
    // Candidates come from rare blocks only (`mohammad`, `company` propose thousands); then
    // each word of the name, rare or common, counts when the candidate has one of its blocks.
    for (const { rare } of perWord) {
      for (const posting of rare) {
        for (const id of posting) {
          if (this.seen[id] === searchStamp) continue;
          this.seen[id] = searchStamp;
          touched.push(id);
        }
      }
    }
    for (const id of touched) {
      const own = this.names[id].blocks;
      let hits = 0;
      for (const word of perWord) if (word.blocks.some((b) => own.includes(b))) hits += 1;
      const words = this.names[id].forms.keys.length;
      if (hits >= Math.min(need, words)) out.push(id);
    }
    return out;
  }
}

/** The blocks of one word's skeleton: its first three and its last three letters. */
function blocksOf(key: string): string[] {
  if (key.length <= 3) return [`<${key}`];
  return [`<${key.slice(0, 3)}`, `>${key.slice(-3)}`];
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
