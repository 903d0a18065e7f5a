/**
 * The NAME_MATCH evaluation set (docs/rules.md, "NAME_MATCH: quality"): positives built from real
 * entries of the shipped lists, negatives generated from the name parts in name-parts.json. Both
 * are deterministic (a seeded generator, list order): the same lists give the same set, and
 * name-quality.spec.ts checks that positives.json is what this file builds.
 */
import { toHiragana } from 'wanakana';
import { type CyrillicSystem, cyrillicToLatin } from '../../transliterate';
import type { NameEntry } from '../../name-entry';
import { skipReason } from '../../name-index';
import { nameTokens, normalizeName } from '../../normalize-name';

export type PositiveKind =
  | 'width-case'
  | 'reordered'
  | 'missing-middle'
  | 'typo'
  | 'romanisation'
  | 'cyrillic'
  | 'katakana-russia'
  | 'katakana-other'
  | 'half-width-katakana'
  | 'hiragana'
  | 'katakana-unspaced'
  | 'kanji';

export interface Positive {
  kind: PositiveKind;
  /** The name as a customer would give it. */
  given: string;
  /** The real list entry it was built from, as `listId:entityId` (any one of them matching). */
  expected: string[];
  /** The listed name it was built from (or MOF's English name for the katakana kinds). */
  from: string;
}

export interface MofPersonName {
  program: string;
  japanese: string;
  english: string;
}

export interface ListNames {
  listId: string;
  names: readonly NameEntry[];
}

/** mulberry32: a small seeded generator, so the set is the same on every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(items: readonly T[], count: number, random: () => number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (out.length < count && pool.length > 0) {
    const i = Math.floor(random() * pool.length);
    out.push(pool[i]);
    pool.splice(i, 1);
  }
  return out;
}

const RUSSIAN_PROGRAM = /RUSSIA|UKRAINE|BELARUS|CYBER|MAGNIT/;

/**
 * Latin (BGN/PCGN-like, as OFAC writes Russian names) back to Cyrillic, for the Cyrillic and
 * romanisation kinds. Rough on purpose: it is how a customer's Cyrillic could look, not a
 * reversible transliteration.
 */
export function latinToCyrillic(latin: string): string {
  const rules: Array<[RegExp, string]> = [
    [/shch/g, 'щ'],
    [/kh/g, 'х'],
    [/zh/g, 'ж'],
    [/ts/g, 'ц'],
    [/ch/g, 'ч'],
    [/sh/g, 'ш'],
    [/yu/g, 'ю'],
    [/ya/g, 'я'],
    [/yo/g, 'ё'],
    [/^ye|(?<=[aeiou])ye/g, 'е'],
    [/(?<=[aeiou])y(?![aeiou])/g, 'й'],
    [/iy$/g, 'ий'],
    [/y/g, 'ы'],
    [/a/g, 'а'],
    [/b/g, 'б'],
    [/v/g, 'в'],
    [/w/g, 'в'],
    [/g/g, 'г'],
    [/d/g, 'д'],
    [/e/g, 'е'],
    [/z/g, 'з'],
    [/i/g, 'и'],
    [/j/g, 'дж'],
    [/k/g, 'к'],
    [/c/g, 'к'],
    [/q/g, 'к'],
    [/l/g, 'л'],
    [/m/g, 'м'],
    [/n/g, 'н'],
    [/o/g, 'о'],
    [/p/g, 'п'],
    [/r/g, 'р'],
    [/s/g, 'с'],
    [/t/g, 'т'],
    [/u/g, 'у'],
    [/f/g, 'ф'],
    [/h/g, 'х'],
    [/x/g, 'кс'],
  ];
  return nameTokens(normalizeName(latin))
    .map((word) => {
      let w = word;
      for (const [from, to] of rules) w = w.replace(from, to);
      return w.charAt(0).toUpperCase() + w.slice(1);
    })
    .join(' ');
}

/** Full-width katakana and Latin to their half-width forms (the NFKC inverse, for tests). */
export function toHalfWidth(text: string): string {
  const table: Record<string, string> = {
    ア: 'ｱ',
    イ: 'ｲ',
    ウ: 'ｳ',
    エ: 'ｴ',
    オ: 'ｵ',
    カ: 'ｶ',
    キ: 'ｷ',
    ク: 'ｸ',
    ケ: 'ｹ',
    コ: 'ｺ',
    サ: 'ｻ',
    シ: 'ｼ',
    ス: 'ｽ',
    セ: 'ｾ',
    ソ: 'ｿ',
    タ: 'ﾀ',
    チ: 'ﾁ',
    ツ: 'ﾂ',
    テ: 'ﾃ',
    ト: 'ﾄ',
    ナ: 'ﾅ',
    ニ: 'ﾆ',
    ヌ: 'ﾇ',
    ネ: 'ﾈ',
    ノ: 'ﾉ',
    ハ: 'ﾊ',
    ヒ: 'ﾋ',
    フ: 'ﾌ',
    ヘ: 'ﾍ',
    ホ: 'ﾎ',
    マ: 'ﾏ',
    ミ: 'ﾐ',
    ム: 'ﾑ',
    メ: 'ﾒ',
    モ: 'ﾓ',
    ヤ: 'ﾔ',
    ユ: 'ﾕ',
    ヨ: 'ﾖ',
    ラ: 'ﾗ',
    リ: 'ﾘ',
    ル: 'ﾙ',
    レ: 'ﾚ',
    ロ: 'ﾛ',
    ワ: 'ﾜ',
    ヲ: 'ｦ',
    ン: 'ﾝ',
    ァ: 'ｧ',
    ィ: 'ｨ',
    ゥ: 'ｩ',
    ェ: 'ｪ',
    ォ: 'ｫ',
    ャ: 'ｬ',
    ュ: 'ｭ',
    ョ: 'ｮ',
    ッ: 'ｯ',
    ー: 'ｰ',
    '・': '･',
    '　': ' ',
  };
  let out = '';
  for (const c of text.normalize('NFD')) {
    if (c === '\u3099') out += 'ﾞ';
    else if (c === '\u309a') out += 'ﾟ';
    else out += table[c] ?? c;
  }
  return out;
}

function toFullWidth(text: string): string {
  return text.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}

interface Listed {
  listId: string;
  entry: NameEntry;
  words: string[];
}

function matchable(lists: readonly ListNames[]): Listed[] {
  const out: Listed[] = [];
  for (const { listId, names } of lists) {
    for (const entry of names) {
      if (skipReason(entry) !== null) continue;
      out.push({ listId, entry, words: nameTokens(normalizeName(entry.name)) });
    }
  }
  return out;
}

const latinOnly = (l: Listed): boolean => /^[a-z0-9 ]+$/.test(l.words.join(' '));
const person = (l: Listed): boolean => l.entry.partyKind === 'individual';
const idOf = (l: Listed): string => `${l.listId}:${l.entry.entityId}`;

/** `LAST, First Middle` as `First Middle Last` (how a customer writes it). */
function firstLast(name: string): string {
  const [last, rest] = name.split(/,\s*/, 2);
  return rest ? `${rest} ${last}` : name;
}

function typo(word: string, random: () => number): string {
  const i = 1 + Math.floor(random() * (word.length - 2));
  return random() < 0.5
    ? word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2)
    : word.slice(0, i) + word.slice(i + 1);
}

/**
 * Positives from the real lists. `exactIds(name)` gives the list entries whose names equal a
 * Latin name exactly (used to tie MOF's English names to OFAC and UN entries).
 */
export function buildPositives(
  lists: readonly ListNames[],
  mof: readonly MofPersonName[],
  exactIds: (name: string) => string[],
): Positive[] {
  const random = seeded(20260305);
  const all = matchable(lists);
  const latin = all.filter(latinOnly);
  const people = latin.filter((l) => person(l) && l.entry.nameType === 'primary');
  const out: Positive[] = [];
  const add = (kind: PositiveKind, given: string, l: Listed): void => {
    out.push({ kind, given, expected: [idOf(l)], from: l.entry.name });
  };

  for (const l of pick(latin, 30, random)) {
    add('width-case', random() < 0.5 ? toFullWidth(l.entry.name) : l.entry.name.toLowerCase(), l);
  }
  for (const l of pick(
    people.filter((p) => p.entry.name.includes(',')),
    40,
    random,
  )) {
    add('reordered', firstLast(l.entry.name), l);
  }
  for (const l of pick(
    people.filter((p) => p.words.length >= 3),
    40,
    random,
  )) {
    const words = nameTokens(normalizeName(firstLast(l.entry.name)));
    add('missing-middle', [words[0], ...words.slice(2)].join(' '), l);
  }
  for (const l of pick(
    people.filter((p) => p.words.some((w) => w.length >= 6)),
    40,
    random,
  )) {
    const words = firstLast(l.entry.name).split(/\s+/);
    const longest = words.reduce((a, b) => (b.length > a.length ? b : a));
    add('typo', words.map((w) => (w === longest ? typo(w, random) : w)).join(' '), l);
  }
  const russians = people.filter((p) => p.entry.programs.some((x) => RUSSIAN_PROGRAM.test(x)));
  const systems: CyrillicSystem[] = ['icao-9303', 'gost-7.79-b', 'scholarly'];
  let n = 0;
  for (const l of pick(russians, 60, random)) {
    const cyrillic = latinToCyrillic(firstLast(l.entry.name));
    const respelled = cyrillicToLatin(cyrillic, systems[n % systems.length]);
    n += 1;
    if (normalizeName(respelled) !== normalizeName(firstLast(l.entry.name))) {
      add('romanisation', capitalise(respelled), l);
    }
  }
  for (const l of pick(russians, 40, random)) {
    add('cyrillic', latinToCyrillic(firstLast(l.entry.name)), l);
  }

  const mofOnList = mof
    .map((m) => ({ m, ids: exactIds(m.english) }))
    .filter(({ ids, m }) => ids.length > 0 && /[\u30a0-\u30ff]/.test(m.japanese));
  const russia = mofOnList.filter(({ m }) =>
    /ロシア|ベラルーシ|クリミア|ウクライナ/.test(m.program),
  );
  for (const { m, ids } of russia) {
    out.push({ kind: 'katakana-russia', given: m.japanese, expected: ids, from: m.english });
  }
  // Every other program's pairs would outweigh the rest of the set; a sample of them.
  const others = mofOnList.filter((x) => !russia.includes(x));
  for (const { m, ids } of pick(others, 60, random)) {
    out.push({ kind: 'katakana-other', given: m.japanese, expected: ids, from: m.english });
  }
  for (const { m, ids } of pick(russia, 40, random)) {
    out.push({
      kind: 'half-width-katakana',
      given: toHalfWidth(m.japanese),
      expected: ids,
      from: m.english,
    });
  }
  for (const { m, ids } of pick(russia, 30, random)) {
    out.push({ kind: 'hiragana', given: toHiragana(m.japanese), expected: ids, from: m.english });
  }
  for (const { m, ids } of pick(russia, 30, random)) {
    const joined = random() < 0.5 ? m.japanese.replace(/・/g, '') : m.japanese.replace(/・/g, '　');
    out.push({ kind: 'katakana-unspaced', given: joined, expected: ids, from: m.english });
  }

  for (const l of pick(
    all.filter((x) => /\p{Script=Han}/u.test(x.entry.name)),
    40,
    random,
  )) {
    add('kanji', l.words.join(''), l);
  }
  return out;
}

function capitalise(text: string): string {
  return text.replace(/(^|\s)(\p{L})/gu, (_m, space: string, c: string) => space + c.toUpperCase());
}
