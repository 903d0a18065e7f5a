/**
 * The one normal form both sides of a name comparison go through: the list's names and aliases
 * when the index is built, the counterparty name when it is looked up.
 *
 * Steps, in order (docs/rules.md, "NAME_MATCH", has examples):
 * 1. Unicode NFKC: compatibility forms become their plain letters (full-width `ＧＡＲＡＮＴＥＸ`,
 *    ligature `ﬁ`, superscripts), so what looks the same compares the same.
 * 2. Case fold: upper case, then lower case. Plain `toLowerCase()` keeps `ß`; going through upper
 *    case first folds it to `ss` as Unicode full case folding does (CaseFolding.txt, status F).
 * 3. Strip Latin diacritics: NFD, drop the combining marks U+0300–U+036F, NFC again. Only that
 *    block: the marks of other scripts (Japanese voicing marks U+3099, Arabic vowel signs,
 *    Devanagari vowel signs) change the word and are kept. Latin letters that have no
 *    decomposition (`ø`, `ł`, `đ`, `æ`, ...) are spelled out by a small table.
 * 4. An apostrophe between two letters is dropped (`CH'O'L` is `chol`, `QA'IDA` is `qaida`, as
 *    customers write them); everything else that is not a letter, digit or mark becomes a space
 *    (`Ivanov, Ivan`, `Al-Qaida`, `S.A.`), and runs of white space collapse to one, trimmed.
 */
export function normalizeName(raw: string): string {
  let text = raw.normalize('NFKC').toUpperCase().toLowerCase();
  text = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC');
  text = text.replace(/[øłđðþæœı]/g, (c) => LATIN_WITHOUT_DECOMPOSITION[c] ?? c);
  // An apostrophe inside a word is part of it: McCune-Reischauer `CH'OL`, `O'Brien`, `QA'IDA`.
  text = text.replace(/(?<=\p{L})['’ʼ‘`](?=\p{L})/gu, '');
  // An initial written into a Japanese name is a word: セルゲイSチェメゾフ is セルゲイ S チェメゾフ.
  text = text.replace(INITIAL_IN_JAPANESE, ' $1 ');
  return text.replace(/[^\p{L}\p{N}\p{M}]+/gu, ' ').trim();
}

const JAPANESE = '\\p{Script=Katakana}\\p{Script=Hiragana}\\p{Script=Han}ー';
const INITIAL_IN_JAPANESE = new RegExp(`(?<=[${JAPANESE}])([a-z])(?=[${JAPANESE}])`, 'gu');

/** Letters with no Unicode decomposition that Latin transliterations of names still use. */
const LATIN_WITHOUT_DECOMPOSITION: Readonly<Record<string, string>> = {
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  æ: 'ae',
  œ: 'oe',
  ı: 'i',
};

/** The words of a normalized name (empty for an empty name). */
export function nameTokens(normalized: string): string[] {
  return normalized === '' ? [] : normalized.split(' ');
}

/**
 * The lookup key of a normalized name: its words sorted (code-unit order, duplicates kept), so
 * that `ivanov ivan` and `ivan ivanov` share a key. Equal keys are candidates; the matcher
 * then tells an exact match from a reordered one.
 */
export function nameKey(normalized: string): string {
  return nameTokens(normalized).sort().join(' ');
}

/** Letters and digits of a normalized name, spaces not counted (the "too generic" test). */
export function nameLength(normalized: string): number {
  let length = 0;
  for (const c of normalized) if (c !== ' ') length += 1;
  return length;
}
