import { toHiragana } from 'wanakana';
import { seeded, toHalfWidth } from './eval-set';

export type NegativeKind =
  | 'japanese-kanji'
  | 'japanese-katakana'
  | 'japanese-half-width'
  | 'japanese-hiragana'
  | 'japanese-romaji'
  | 'western'
  | 'chinese-pinyin'
  | 'chinese-hanzi'
  | 'korean-latin'
  | 'korean-katakana'
  | 'russian-latin'
  | 'russian-cyrillic';

export interface Negative {
  kind: NegativeKind;
  given: string;
}

interface Japanese {
  kanji: string;
  kana: string;
  romaji: string;
}
interface Chinese {
  hanzi: string;
  pinyin: string;
}
interface Korean {
  hangul: string;
  latin: string;
  kana: string;
}
interface Russian {
  latin: string;
  cyrillic: string;
}

export interface NameParts {
  japanese: { family: Japanese[]; given: Japanese[] };
  western: { given: string[]; family: string[] };
  chinese: { family: Chinese[]; given: Chinese[] };
  korean: { family: Korean[]; given: Korean[] };
  russian: { given: Russian[]; family: Russian[] };
}

const PER_KIND = 300;

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * Realistic customer names that no list names: combinations of common name parts in the forms
 * a Japanese exchange holds them (kanji with or without a space, full- and half-width katakana,
 * hiragana, romaji in either order; Latin and native scripts for the others). Deterministic,
 * duplicates dropped, at most PER_KIND per kind.
 */
export function buildNegatives(parts: NameParts): Negative[] {
  const random = seeded(9_303);
  const any = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const out: Negative[] = [];
  const seen = new Set<string>();
  const add = (kind: NegativeKind, given: string): void => {
    if (seen.has(`${kind}\u0000${given}`)) return;
    seen.add(`${kind}\u0000${given}`);
    out.push({ kind, given });
  };
  const times = (kind: NegativeKind, make: () => string): void => {
    for (let i = 0; i < PER_KIND * 3 && out.filter((n) => n.kind === kind).length < PER_KIND; i++) {
      add(kind, make());
    }
  };
  const jp = parts.japanese;
  times('japanese-kanji', () => {
    const f = any(jp.family);
    const g = any(jp.given);
    return random() < 0.5 ? `${f.kanji}${g.kanji}` : `${f.kanji} ${g.kanji}`;
  });
  times('japanese-katakana', () => `${any(jp.family).kana}\u3000${any(jp.given).kana}`);
  times('japanese-half-width', () => toHalfWidth(`${any(jp.family).kana} ${any(jp.given).kana}`));
  times('japanese-hiragana', () => toHiragana(`${any(jp.family).kana} ${any(jp.given).kana}`));
  times('japanese-romaji', () => {
    const f = any(jp.family).romaji;
    const g = any(jp.given).romaji;
    return random() < 0.5 ? `${f.toUpperCase()} ${g.toUpperCase()}` : `${cap(g)} ${cap(f)}`;
  });
  const w = parts.western;
  times('western', () => {
    const middle = random() < 0.3 ? ` ${any(w.given)}` : '';
    return `${any(w.given)}${middle} ${any(w.family)}`;
  });
  const cn = parts.chinese;
  times('chinese-pinyin', () => `${cap(any(cn.given).pinyin)} ${cap(any(cn.family).pinyin)}`);
  times('chinese-hanzi', () => `${any(cn.family).hanzi}${any(cn.given).hanzi}`);
  const ko = parts.korean;
  times('korean-latin', () => `${cap(any(ko.family).latin)} ${cap(any(ko.given).latin)}`);
  times('korean-katakana', () => `${any(ko.family).kana}・${any(ko.given).kana}`);
  const ru = parts.russian;
  times('russian-latin', () => `${any(ru.given).latin} ${any(ru.family).latin}`);
  times('russian-cyrillic', () => {
    const g = any(ru.given);
    const f = any(ru.family);
    const patronymic = random() < 0.3 ? ` ${any(ru.given).cyrillic}ович` : '';
    return `${f.cyrillic} ${g.cyrillic}${patronymic}`;
  });
  return out;
}
