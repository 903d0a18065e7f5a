import type { NameMatchMethod } from '@sekimori/contracts';
import { jaroWinkler } from './jaro-winkler';
import type { NameForms } from './name-forms';

/** A word pair below this is no pair at all (different words, not a misspelling). */
export const WORD_PAIR_FLOOR = 0.8;

/**
 * What one missing word costs: a listed person's middle name or patronymic that the customer
 * left out, or the customer's middle name that the list does not give.
 */
export const MISSING_WORD_FACTOR = 0.94;

/**
 * With a word missing, every word that is there must be this close: `Ivan Sobolev` is not
 * `SOBOLEV, Viktor Ivanovich` (ivan ~ ivanovich, 0.9), while セルゲイ・チェメゾフ is
 * `CHEMEZOV, Sergey Viktorovich` (serugei ~ sergei, 0.97).
 */
export const PARTIAL_WORD_FLOOR = 0.96;

/** With a word missing, the words that are there have at least this many letters. */
export const PARTIAL_MIN_LETTERS = 7;

export interface NameScore {
  score: number;
  method: NameMatchMethod;
}

/**
 * How alike a customer's name and a listed name are, 0 to 1, and how they met; null when they
 * cannot be the same name. `allowMissing`: whether words may be left out on either side
 * (people: yes, a middle name or patronymic; entities: no, part of a firm's name is another
 * firm). Pure and allocation-light: it runs on every candidate the index proposes.
 */
export function scoreNames(
  given: NameForms,
  listed: NameForms,
  allowMissing: boolean,
): NameScore | null {
  if (sameWords(given.words, listed.words)) return { score: 1, method: 'exact' };
  if (given.compact !== null && given.compact === listed.compact) {
    const plain = given.words.join('') === listed.words.join('');
    return { score: 1, method: plain ? 'exact' : 'transliterated' };
  }
  if (sameWordSet(given.words, listed.words)) return { score: 1, method: 'reordered' };
  if (given.keys.length === 0 || listed.keys.length === 0) return null;
  const parts = scoreWords(given, listed, allowMissing);
  const joined = scoreJoined(given, listed);
  const best = joined !== null && (parts === null || joined.score > parts.score) ? joined : parts;
  if (best === null) return null;
  if (best.score === 1 && best.method === 'fuzzy') best.method = 'transliterated';
  return best;
}

function scoreWords(g: NameForms, l: NameForms, allowMissing: boolean): NameScore | null {
  const given = g.keys;
  const listed = l.keys;
  if (given.length > 31 || listed.length > 31) return null;
  const pairs: Pair[] = [];
  // Each word against each word; and a word against two adjacent words run together, for
  // names split differently (`Tong-Chol` listed as two words, トンチョル given as one).
  // A kana word against a Latin word is also compared by its loose key (looseKey).
  const cross = kanaAgainstLatin(g, l);
  const gl = cross ? g.loose : NO_LOOSE;
  const ll = cross ? l.loose : NO_LOOSE;
  for (let i = 0; i < given.length; i += 1) {
    for (let j = 0; j < listed.length; j += 1) {
      const initial = isInitial(g.words[i]) || isInitial(l.words[j]);
      const s = initial
        ? initialScore(g.words[i], l.words[j])
        : wordScore(given[i], g.bare[i], listed[j], l.bare[j], gl[i], ll[j]);
      if (s >= WORD_PAIR_FLOOR) pairs.push({ s, g: 1 << i, l: 1 << j, letters: listed[j].length });
      if (j + 1 < listed.length) {
        const joined = wordScore(
          given[i],
          g.bare[i],
          listed[j] + listed[j + 1],
          l.bare[j] + l.bare[j + 1],
          gl[i],
          cross ? l.loose[j] + l.loose[j + 1] : undefined,
        );
        if (joined >= WORD_PAIR_FLOOR) {
          pairs.push({
            s: joined,
            g: 1 << i,
            l: 3 << j,
            letters: listed[j].length + listed[j + 1].length,
          });
        }
      }
      if (i + 1 < given.length) {
        const joined = wordScore(
          given[i] + given[i + 1],
          g.bare[i] + g.bare[i + 1],
          listed[j],
          l.bare[j],
          cross ? g.loose[i] + g.loose[i + 1] : undefined,
          ll[j],
        );
        if (joined >= WORD_PAIR_FLOOR)
          pairs.push({ s: joined, g: 3 << i, l: 1 << j, letters: listed[j].length });
      }
    }
  }
  if (pairs.length === 0) return null;
  pairs.sort((a, b) => b.s - a.s || b.letters - a.letters);
  let usedGiven = 0;
  let usedListed = 0;
  let weighted = 0;
  let weight = 0;
  let matched = 0;
  let allEqual = true;
  let weakest = 1;
  let matchedLetters = 0;
  for (const pair of pairs) {
    if (usedGiven & pair.g || usedListed & pair.l) continue;
    usedGiven |= pair.g;
    usedListed |= pair.l;
    matched += 1;
    weakest = Math.min(weakest, pair.s);
    matchedLetters += pair.letters;
    // A word spelled alike but not the same counts its distance twice: two near-miss words
    // (`Hannah Harris` ~ `HANAFI, Khalid`) are two different words more often than not.
    weighted += pair.s * pair.s * pair.letters;
    weight += pair.letters;
    if (pair.s < 1) allEqual = false;
  }
  const missing = given.length - bits(usedGiven) + (listed.length - bits(usedListed));
  if (missing > 0) {
    // A name of two or more words keeps at least two of them; a one-word name is all of it.
    if (!allowMissing || matched < 2 || weakest < PARTIAL_WORD_FLOOR) return null;
    // Two short syllables (Korean `Kim Ju` of `KIM Yong Ju`) say too little on their own.
    if (matchedLetters < PARTIAL_MIN_LETTERS) return null;
  }
  if (matched < Math.min(2, given.length, listed.length)) return null;
  const score = (weighted / weight) * MISSING_WORD_FACTOR ** missing;
  const method: NameMatchMethod = missing > 0 ? 'partial' : allEqual ? 'transliterated' : 'fuzzy';
  return { score, method };
}

interface Pair {
  s: number;
  /** The given and listed words the pair covers, as bit sets. */
  g: number;
  l: number;
  letters: number;
}

function bits(set: number): number {
  let n = 0;
  for (let x = set; x !== 0; x &= x - 1) n += 1;
  return n;
}

/**
 * The words run together, in the listed order and reversed, when one side is one word:
 * Japanese writes a name without a space (`セルゲイイワノフ`).
 */
function scoreJoined(given: NameForms, listed: NameForms): NameScore | null {
  // Only a one-word side: two words each are scored word by word, and joining short words
  // (Korean `Kim Min Seo`) makes unrelated names look alike.
  if (Math.min(given.keys.length, listed.keys.length) !== 1) return null;
  if (given.keys.length === listed.keys.length) return null;
  const g = given.keys.join('');
  const gb = given.bare.join('');
  const l = listed.keys.join('');
  if (!mayReach(g.length, l.length)) return null;
  const lb = listed.bare.join('');
  const cross = kanaAgainstLatin(given, listed);
  const gl = cross ? given.loose.join('') : undefined;
  const forward = wordScore(g, gb, l, lb, gl, cross ? listed.loose.join('') : undefined);
  let backward = 0;
  if (listed.keys.length > 1) {
    const reversed = (keys: string[]): string => [...keys].reverse().join('');
    backward = wordScore(
      g,
      gb,
      reversed(listed.keys),
      reversed(listed.bare),
      gl,
      cross ? reversed(listed.loose) : undefined,
    );
  }
  const similar = Math.max(forward, backward);
  const score = similar * similar;
  return score >= WORD_PAIR_FLOOR
    ? { score, method: score === 1 ? 'transliterated' : 'fuzzy' }
    : null;
}

const NO_LOOSE: readonly undefined[] = [];

/** Whether one name is in kana and the other in Latin letters: then loose keys count too. */
function kanaAgainstLatin(a: NameForms, b: NameForms): boolean {
  return (
    (a.script === 'kana' && b.script === 'latin') || (a.script === 'latin' && b.script === 'kana')
  );
}

/**
 * The better of the plain and the bare skeletons (they differ for kana words only), and of the
 * loose keys when given (a kana word against a Latin word).
 */
function wordScore(
  g: string,
  gBare: string,
  l: string,
  lBare: string,
  gLoose?: string,
  lLoose?: string,
): number {
  let s = 0;
  if (alikeLength(g, gBare, l, lBare)) {
    if (
      mayReach(Math.min(g.length, gBare.length), Math.min(l.length, lBare.length)) ||
      mayReach(Math.max(g.length, gBare.length), Math.max(l.length, lBare.length))
    ) {
      s = jaroWinkler(g, l);
      if (s === 1) return 1;
      if (gBare !== g) s = Math.max(s, jaroWinkler(gBare, l));
      if (lBare !== l) s = Math.max(s, jaroWinkler(g, lBare));
    }
  }
  if (gLoose === undefined || lLoose === undefined) return s;
  if (!alikeLength(gLoose, gLoose, lLoose, lLoose) || !mayReach(gLoose.length, lLoose.length)) {
    return s;
  }
  return Math.max(s, jaroWinkler(gLoose, lLoose));
}

/**
 * Whether two strings of these lengths can reach WORD_PAIR_FLOOR at all: Jaro is at most
 * (s/l + 1 + 1) / 3 for lengths s <= l, and Winkler's prefix adds at most 0.4 of the rest. It
 * saves the quadratic Jaro-Winkler on pairs such as a short word and a long firm name.
 */
function mayReach(a: number, b: number): boolean {
  const short = Math.min(a, b);
  const long = Math.max(a, b);
  if (short === 0) return false;
  const jaro = (short / long + 2) / 3;
  return jaro + 0.4 * (1 - jaro) >= WORD_PAIR_FLOOR;
}

/**
 * Words of very different lengths are different words even when one starts like the other
 * (`ivan` and `ivanovich`, `emili` and `emiliano`): Winkler's prefix bonus would score them 0.9.
 */
function alikeLength(g: string, gBare: string, l: string, lBare: string): boolean {
  // Runs for every word pair of every candidate: plain comparisons, no closure per call.
  return (
    lengthRatio(g.length, l.length) >= MIN_LENGTH_RATIO ||
    lengthRatio(gBare.length, lBare.length) >= MIN_LENGTH_RATIO ||
    lengthRatio(g.length, lBare.length) >= MIN_LENGTH_RATIO ||
    lengthRatio(gBare.length, l.length) >= MIN_LENGTH_RATIO
  );
}

/** Shorter over longer (NaN, which compares false, for two empty words). */
function lengthRatio(a: number, b: number): number {
  return a < b ? a / b : b / a;
}

/** Shortest over longest skeleton that can still be one word spelled two ways. */
export const MIN_LENGTH_RATIO = 0.7;

/** An initial (`S` in `Sergey S. Chemezov`, as MOF writes patronymics) pairs with a word it begins. */
function initialScore(g: string, l: string): number {
  if (g.length === 1 && l.length === 1) return g === l ? 1 : 0;
  if (g.length === 1) return l.length > 1 && latinInitial(l) === g ? 1 : 0;
  return latinInitial(g) === l ? 1 : 0;
}

/** A Latin letter alone; one kana (Korean `リ`, `コ`, `ユ`) is a whole syllable, not an initial. */
function isInitial(word: string): boolean {
  return word.length === 1 && /[a-z]/.test(word);
}

function latinInitial(word: string): string {
  return /^[a-z]/.test(word) ? word[0] : '';
}

function sameWords(a: string[], b: string[]): boolean {
  if (a.length !== b.length || a.length === 0) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

function sameWordSet(a: string[], b: string[]): boolean {
  if (a.length !== b.length || a.length === 0) return false;
  const x = [...a].sort();
  const y = [...b].sort();
  return sameWords(x, y);
}
