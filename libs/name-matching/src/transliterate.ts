import { toKatakana, toRomaji } from 'wanakana';

/** The Russian romanisation systems lists and passports use (docs/rules.md, "NAME_MATCH"). */
export type CyrillicSystem = 'bgn-pcgn' | 'icao-9303' | 'gost-7.79-b' | 'scholarly';

export const CYRILLIC_SYSTEMS: readonly CyrillicSystem[] = [
  'bgn-pcgn',
  'icao-9303',
  'gost-7.79-b',
  'scholarly',
];

/**
 * Letter tables, lower case. Where a system spells a letter by position (BGN/PCGN `е` as `ye`
 * at the start of a word) the simple form is kept: the skeleton folds those differences anyway.
 * Columns: BGN/PCGN 1947, ICAO Doc 9303 (7th ed., Russian passports since 2013),
 * GOST 7.79-2000 system B (ASCII), scholarly (diacritics; the matcher strips them).
 */
const CYRILLIC: Readonly<Record<string, readonly [string, string, string, string]>> = {
  а: ['a', 'a', 'a', 'a'],
  б: ['b', 'b', 'b', 'b'],
  в: ['v', 'v', 'v', 'v'],
  г: ['g', 'g', 'g', 'g'],
  д: ['d', 'd', 'd', 'd'],
  е: ['e', 'e', 'e', 'e'],
  ё: ['ë', 'e', 'yo', 'ë'],
  ж: ['zh', 'zh', 'zh', 'ž'],
  з: ['z', 'z', 'z', 'z'],
  и: ['i', 'i', 'i', 'i'],
  й: ['y', 'i', 'j', 'j'],
  к: ['k', 'k', 'k', 'k'],
  л: ['l', 'l', 'l', 'l'],
  м: ['m', 'm', 'm', 'm'],
  н: ['n', 'n', 'n', 'n'],
  о: ['o', 'o', 'o', 'o'],
  п: ['p', 'p', 'p', 'p'],
  р: ['r', 'r', 'r', 'r'],
  с: ['s', 's', 's', 's'],
  т: ['t', 't', 't', 't'],
  у: ['u', 'u', 'u', 'u'],
  ф: ['f', 'f', 'f', 'f'],
  х: ['kh', 'kh', 'x', 'x'],
  ц: ['ts', 'ts', 'cz', 'c'],
  ч: ['ch', 'ch', 'ch', 'č'],
  ш: ['sh', 'sh', 'sh', 'š'],
  щ: ['shch', 'shch', 'shh', 'šč'],
  ъ: ['', 'ie', '', ''],
  ы: ['y', 'y', 'y', 'y'],
  ь: ['', '', '', ''],
  э: ['e', 'e', 'e', 'è'],
  ю: ['yu', 'iu', 'yu', 'ju'],
  я: ['ya', 'ia', 'ya', 'ja'],
  // Ukrainian and Belarusian letters that appear in listed names.
  і: ['i', 'i', 'i', 'i'],
  ї: ['yi', 'i', 'yi', 'ji'],
  є: ['ye', 'ie', 'ye', 'je'],
  ґ: ['g', 'g', 'g', 'g'],
  ў: ['w', 'u', 'u', 'ŭ'],
};

/** Latin spelling of Cyrillic text under one system; other characters pass through. */
export function cyrillicToLatin(text: string, system: CyrillicSystem = 'bgn-pcgn'): string {
  const column = CYRILLIC_SYSTEMS.indexOf(system);
  let out = '';
  for (const c of text) {
    const lower = c.toLowerCase();
    const spelled = CYRILLIC[lower];
    out += spelled === undefined ? c : spelled[column];
  }
  return out;
}

/** True for a Cyrillic letter (U+0400–U+04FF). */
export function hasCyrillic(text: string): boolean {
  return /[\u0400-\u04ff]/.test(text);
}

/**
 * Sounds of loanword katakana that wanakana 5 spells syllable by syllable (`ティ` → `tei`,
 * `ファ` → `fua`); foreign names are full of them. Keys in hiragana: wanakana reads katakana
 * through hiragana before it applies the mapping.
 */
const LOANWORD_ROMAJI: Readonly<Record<string, string>> = {
  てぃ: 'ti',
  でぃ: 'di',
  とぅ: 'tu',
  どぅ: 'du',
  ふぁ: 'fa',
  ふぃ: 'fi',
  ふぇ: 'fe',
  ふぉ: 'fo',
  ゔぁ: 'va',
  ゔぃ: 'vi',
  ゔぇ: 've',
  ゔぉ: 'vo',
  ゔ: 'vu',
  うぃ: 'wi',
  うぇ: 'we',
  うぉ: 'wo',
  すぃ: 'si',
  ずぃ: 'zi',
  しぇ: 'she',
  じぇ: 'je',
  ちぇ: 'che',
  つぁ: 'tsa',
  つぃ: 'tsi',
  つぇ: 'tse',
  つぉ: 'tso',
  いぇ: 'ye',
};

/**
 * Words romanised lately: wanakana takes tens of microseconds a word, and customers' names
 * repeat (サトウ, タナカ). Bounded: cleared whole when full, which costs one miss per word.
 */
const ROMAJI_CACHE_SIZE = 20_000;
const romajiCache = new Map<string, string>();

/** Hepburn romaji of kana text (hiragana or katakana); other characters pass through. */
export function kanaToRomaji(text: string): string {
  const cached = romajiCache.get(text);
  if (cached !== undefined) return cached;
  const romaji = toRomaji(text, { customRomajiMapping: LOANWORD_ROMAJI });
  if (romajiCache.size >= ROMAJI_CACHE_SIZE) romajiCache.clear();
  romajiCache.set(text, romaji);
  return romaji;
}

/** Hiragana as katakana, so that both scripts of one name compare alike. */
export function kanaToKatakana(text: string): string {
  return toKatakana(text);
}

/** True for hiragana or katakana, including the long-vowel mark (U+3041–U+30FF). */
export function isKana(c: string): boolean {
  return /^[\u3041-\u30ff]+$/u.test(c);
}

/** True for a CJK ideograph (kanji) or the iteration mark 々. */
export function hasHan(text: string): boolean {
  return /[\p{Script=Han}々]/u.test(text);
}
