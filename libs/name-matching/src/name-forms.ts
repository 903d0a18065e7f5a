import { nameTokens, normalizeName } from './normalize-name';
import {
  cyrillicToLatin,
  hasCyrillic,
  hasHan,
  isKana,
  kanaToKatakana,
  kanaToRomaji,
} from './transliterate';

/** The script a name's words are written in, as far as matching cares. */
export type NameScript = 'latin' | 'cyrillic' | 'kana' | 'han' | 'other';

/**
 * A name as both sides of a comparison see it (list names when the index is built, the
 * customer's name when it is screened):
 * - `words`: the normalized words (normalizeName), for exact and reordered matches;
 * - `keys`: one sound skeleton per word (latinSkeleton) for words in Latin, Cyrillic or kana;
 *   empty when a word has none (kanji, Arabic: those match by `words` or `compact` only);
 * - `compact`: for a name in kana or kanji, its words run together with kana as katakana and
 *   without the long-vowel mark, since Japanese writes a name with or without a space or `・`.
 */
export interface NameForms {
  words: string[];
  keys: string[];
  /**
   * For words in kana, the skeleton with the vowels katakana adds to foreign names taken out
   * (dropEpentheticVowels); the same as `keys` elsewhere. Scoring takes the better of the two.
   */
  bare: string[];
  /**
   * Per word, a looser key for comparing a kana word with a Latin one (looseKey): voicing,
   * `-ng`, and the vowel digraphs Japanese writes with one kana folded. Only for words in kana
   * or Latin letters; the same as `keys` for names in other scripts.
   */
  loose: string[];
  compact: string | null;
  script: NameScript;
}

export function nameFormsOf(raw: string): NameForms {
  return formsOfNormalized(normalizeName(raw));
}

export function formsOfNormalized(normalized: string): NameForms {
  const words = nameTokens(normalized);
  const script = scriptOf(normalized);
  const keys: string[] = [];
  const bare: string[] = [];
  const loose: string[] = [];
  for (const word of words) {
    const key = wordKey(word);
    if (key === '') break;
    keys.push(key);
    if (isKana(word)) {
      const dropped = dropEpentheticVowels(romajiOf(word));
      bare.push(latinSkeleton(dropped));
      loose.push(looseKey(dropped, 'kana'));
    } else {
      bare.push(key);
      loose.push(/^[a-z0-9]+$/.test(word) ? looseKey(word, 'latin') : key);
    }
  }
  const japanese = script === 'kana' || script === 'han';
  const compact = japanese ? kanaToKatakana(words.join('')).replace(/ー/g, '') : null;
  const complete = keys.length === words.length;
  const sameBare = bare.every((b, i) => b === keys[i]);
  return {
    words,
    keys: complete ? keys : [],
    bare: complete ? (sameBare ? keys : bare) : [],
    loose: complete ? loose : [],
    compact,
    script,
  };
}

function scriptOf(normalized: string): NameScript {
  if (hasHan(normalized)) return 'han';
  if (/[\u3041-\u30ff]/.test(normalized)) return 'kana';
  if (hasCyrillic(normalized)) return 'cyrillic';
  if (/^[a-z0-9 ]*$/.test(normalized)) return 'latin';
  return 'other';
}

/** The skeleton of one normalized word, or '' when the word is in no script we romanise. */
export function wordKey(word: string): string {
  if (/^[a-z0-9]+$/.test(word)) return latinSkeleton(word);
  if (hasCyrillic(word) && /^[\u0400-\u04ff]+$/.test(word)) {
    return latinSkeleton(
      cyrillicToLatin(word)
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, ''),
    );
  }
  if (isKana(word)) return latinSkeleton(romajiOf(word));
  return '';
}

/** ウ before ラ行 at the start of a foreign name is a V (ウラジーミル: Vladimir). */
function romajiOf(kana: string): string {
  return kanaToRomaji(kana).replace(/^ur/, 'vr');
}

/**
 * Katakana spells a foreign consonant cluster with vowels that the name does not have
 * (`Sergei` is セルゲイ, `serugei`; `Aleksandr` is アレクサンドル, `arekusandoru`): a `u` after a
 * consonant (not the real one of チュ, シュ, ジュ), and an `o` after `t`/`d`, when no vowel
 * follows, are taken out again.
 */
export function dropEpentheticVowels(romaji: string): string {
  return romaji
    .replace(/([bdfgkmprstvwz]|(?<![cs])h)u(?=[bcdfghjkmprstvwz]|$)/g, '$1')
    .replace(/([td])o(?=[bcdfghjkmprstvwz]|$)/g, '$1');
}

/**
 * Folds the spellings that romanisation systems and ears disagree on into one skeleton, so that
 * `Sergey`, `Sergei`, `Sergej` and セルゲイ meet, and so do `Yuriy`, `Yuri`, `Iurii`, `Jurij`.
 * It is a blocking and scoring key, not a spelling: two different names may share it, and
 * Jaro-Winkler over skeletons then scores how alike the rest is. The rules, in order:
 * digraphs of one sound (shch, sh, ch, zh, kh, ts, ph) to one letter; Japanese Kunrei/Hepburn
 * pairs (si/shi, ti/chi, tu/tsu, hu/fu, zi/ji); Latin c as s or k by the next letter; v
 * with no vowel after it as f (Russian `-ov` is -オフ); f and h as one (フ is both); y/j as i;
 * v/w to b (ヴ, ワ); l to r (Japanese has one liquid); long o (`ou`, `oh`) to o; doubled
 * letters to one; `ci`/`si` before a, o, u to c/s (チュ is chu, Latin tyu and Cyrillic тю
 * are tiu). An initial x is GOST's х (Xorsheva), any other x is ks (Alexander).
 */
export function latinSkeleton(word: string): string {
  const s = word
    .replace(/[^a-z0-9]/g, '')
    .replace(/ou|oh(?![aeiou])/g, 'o')
    .replace(/shch|shh/g, 's')
    .replace(/tch/g, 'C')
    .replace(/ch|cz|tz|ts/g, 'C')
    .replace(/c(?=[eiy])/g, 's')
    .replace(/c/g, 'k')
    .replace(/C/g, 'c')
    .replace(/th/g, 't')
    .replace(/sh/g, 's')
    .replace(/zh/g, 'z')
    .replace(/kh/g, 'h')
    .replace(/ph/g, 'f')
    .replace(/^x/, 'h')
    .replace(/x/g, 'ks')
    .replace(/ck|q/g, 'k')
    .replace(/v(?![aeiouy])/g, 'f')
    .replace(/f/g, 'h')
    .replace(/y/g, 'i')
    .replace(/ti/g, 'ci')
    .replace(/tu/g, 'cu')
    .replace(/dz|zi/g, 'ji')
    .replace(/[yj]/g, 'i')
    .replace(/[vw]/g, 'b')
    .replace(/l/g, 'r')
    .replace(/(.)\1+/g, '$1');
  return s.replace(/([cs])i(?=[aou])/g, '$1');
}

/**
 * A looser key than latinSkeleton, for a word in kana against a word in Latin letters only:
 * Japanese transcribes a foreign name by ear, and MOF's katakana of Korean, French and Arabic
 * names differ from their Latin spelling in ways that follow from the sound systems, not from
 * the name (docs/rules.md, "NAME_MATCH"):
 * - voicing: Korean lenis consonants are voiced inside a name and romanised either way
 *   (McCune-Reischauer `Kwang`, Japanese `グァン` after `キム`; `Jang`, `Chang`, `チャン`), so
 *   g/k, d/t, b/p, z/s and j/ch are one;
 * - `-ng` at the end of a syllable is `ン` (Korean and Chinese `Yong`, `Song`, `Hong`);
 * - `ae` and `oe` are one vowel that katakana writes `エ` (Korean ㅐ and ㅚ: `Paek` ペク,
 *   `Choe` チェ), `ou` is `ウ` and `au` is `オ` (French spelling, also of African and Arabic
 *   names: `Mansour`, `Oumar`, `Laurent`);
 * - in Latin letters, `g` before e/i is soft (`Germain` ジェルマン, `Gédéon` ジェデオン);
 * - `w` after a consonant is a glide katakana writes with a small vowel (`Kwang` クァン, グワン).
 * The rules of Latin spelling (soft g, the digraphs) apply to the Latin side only: in kana,
 * ギ is a hard g and アウ two vowels. The kana side is taken without the vowels katakana adds to clusters (dropEpentheticVowels).
 * It folds both sides alike, so it can only make names more alike: it is used for a kana word
 * against a Latin word, never between two Latin or two kana words.
 */
export function looseKey(romanised: string, from: 'kana' | 'latin'): string {
  const spelled = from === 'latin' ? latinSpelling(romanised) : romanised;
  const s = spelled
    .replace(/[^a-z0-9]/g, '')
    .replace(/ng(?![aeiouy])/g, 'n')
    .replace(/n(?=[bmp])/g, 'm')
    .replace(/j/g, 'ch')
    .replace(/w/g, 'u');
  return latinSkeleton(s)
    .replace(/g/g, 'k')
    .replace(/d/g, 't')
    .replace(/b/g, 'p')
    .replace(/z/g, 's')
    .replace(/(.)\1+/g, '$1');
}

/** Rules of Latin spelling (looseKey): in kana, アエ or アウ are two vowels, ギ is hard. */
function latinSpelling(word: string): string {
  return word
    .replace(/^x(?=[iu])/, 'sh')
    .replace(/g(?=e)/g, 'j')
    .replace(/gh/g, 'g')
    .replace(/dh/g, 'z')
    .replace(/ent$/, 'an')
    .replace(/ae|oe/g, 'e')
    .replace(/ee/g, 'i')
    .replace(/ou|oo/g, 'u')
    .replace(/au/g, 'o');
}
