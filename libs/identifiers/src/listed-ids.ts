import { BirthDateSpan, formatSpan } from './birth-date';
import { encodeIdentifiers } from './compact';
import { toCountryCode } from './country';
import { ListedIdentifiers } from './evidence';
import { IdNumber, listedId, MIN_CERTAIN_ID_LENGTH } from './id-number';

/*
 * Identification numbers written in a sentence, as MOF's 旅券番号 and ID番号 cells and the
 * lists' notes give them: `アフガニスタン旅券：SEー011697（1988年1月25日にカブールで発行）`,
 * `アフガニスタン旅券 D 000974`. Dates, parenthesised remarks and prose are not numbers.
 */

// A number: up to three letters (a series, `D `, `OA`, `SE-`), then digits, maybe a letter after.
const NUMBER = /(?<![A-Z0-9])((?:[A-Z]{1,3}[ -]?)?\d[\d -]*\d[A-Z]?)(?![A-Z0-9])/g;
// Remarks in brackets (issue and expiry dates, the name it was issued under) and dates.
const REMARKS = /\([^()]*\)/g;
const DATES =
  /\d{1,4}\s*[年/.-]\s*\d{1,2}\s*[月/.-]\s*\d{1,2}\s*日?|\d{1,4}\s*年(\s*\d{1,2}\s*月)?/g;

/** Each number a list's text gives, with the document kind and country the text before it says. */
export function idNumbersInText(text: string | null | undefined, kind?: string): IdNumber[] {
  if (!text) return [];
  const plain = text
    .normalize('NFKC')
    // MOF writes the hyphen of a number as the katakana prolonged sound mark (SEー011697).
    .replace(/(?<=[A-Za-z0-9])[ー－‐―](?=[A-Za-z0-9])/g, '-')
    .toUpperCase()
    .replace(REMARKS, ' ')
    .replace(DATES, ' ');
  const out: IdNumber[] = [];
  let start = 0;
  for (const m of plain.matchAll(NUMBER)) {
    const before = plain.slice(start, m.index);
    start = (m.index ?? 0) + m[0].length;
    const digits = m[1].replace(/\D/g, '');
    if (digits.length < 4) continue;
    const country = countryIn(before);
    const id = listedId(m[1], /旅券|パスポート|PASSPORT/.test(before) ? 'passport' : kind, country);
    if (id !== null && id.number.length >= MIN_CERTAIN_ID_LENGTH) out.push(id);
  }
  return out;
}

/** The country named just before a number (`アフガニスタン旅券：`, `Afghan passport`), if any. */
function countryIn(text: string): string | undefined {
  const words = text
    .split(/[\s:：、,;；()]+|旅券番号|旅券|パスポート|番号|PASSPORT|NUMBER|NO\./)
    .filter((w) => w !== '');
  const last = words[words.length - 1];
  return toCountryCode(last) ?? undefined;
}

/** The compact string of a listed party's identifiers, empty parts left out, duplicates once. */
export function listedIdentifiers(
  birthDates: readonly BirthDateSpan[],
  countries: ReadonlyArray<string | null | undefined>,
  ids: readonly IdNumber[],
): string {
  const spans = new Map(birthDates.map((s) => [formatSpan(s), s]));
  const codes = [...new Set(countries.filter((c): c is string => !!c))].sort();
  const numbers = new Map(ids.map((id) => [`${id.type}:${id.country}:${id.number}`, id]));
  const listed: ListedIdentifiers = {
    birthDates: [...spans.values()],
    countries: codes,
    ids: [...numbers.values()],
  };
  return encodeIdentifiers(listed);
}

/** The countries a list's nationality cell names: `アフガニスタン`, `(a)ロシア (b)ウクライナ`. */
export function countriesInText(text: string | null | undefined): string[] {
  if (!text) return [];
  const parts = text
    .normalize('NFKC')
    .split(/\([a-z]\)|[\n,;、，；/・]|又は|または|\bor\b|\band\b/i)
    .map((p) => p.replace(/[()]/g, ' ').trim());
  return [...new Set(parts.map((p) => toCountryCode(p)).filter((c): c is string => c !== null))];
}
