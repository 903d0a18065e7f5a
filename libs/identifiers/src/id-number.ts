import { toCountryCode } from './country';

/** IVMS101's national identifier types; the lists' document kinds are mapped onto them. */
export type IdType =
  'ARNU' | 'CCPT' | 'RAID' | 'DRLC' | 'FIIN' | 'TXID' | 'SOCS' | 'IDCD' | 'LEIX' | 'MISC';

/** An identification number, normalised, with its type and issuing country where known. */
export interface IdNumber {
  number: string;
  type?: IdType;
  country?: string;
}

/**
 * Upper case, without spaces, hyphens, dots and slashes, full-width folded: `ｔｋ-123 456` and
 * `TK123456` are one number. Letters that look alike (O and 0) are kept apart: they are different
 * numbers to the issuer.
 */
export function normaliseIdNumber(text: string): string {
  return text
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-‐‑–—./]/g, '');
}

// The document kinds OFAC (ID Type names), the UN (TYPE_OF_DOCUMENT) and MOF write, by their
// stem. The first match wins; anything else is MISC.
const KINDS: ReadonlyArray<[RegExp, IdType]> = [
  [/passport|旅券|パスポート/i, 'CCPT'],
  [/driv(er|ing)'?s? licen[cs]e|運転免許/i, 'DRLC'],
  [/tax|\btin\b|\binn\b|納税/i, 'TXID'],
  [/social security|\bsnils\b/i, 'SOCS'],
  [/legal entity identifier|\blei\b/i, 'LEIX'],
  [/alien registration|residen(t|ce) permit|在留/i, 'ARNU'],
  [/registration (number|no|id)|company number|business registration|登記|法人番号/i, 'RAID'],
  [/national id|identity card|identification (number|card)|\bcedula\b|身分証|国民識別/i, 'IDCD'],
];

/** The IVMS101 type of a list's document kind (`Passport`, `National ID No.`, `旅券番号`). */
export function idTypeOf(kind: string | null | undefined): IdType {
  if (!kind) return 'MISC';
  for (const [pattern, type] of KINDS) if (pattern.test(kind)) return type;
  return 'MISC';
}

/** An id as the lists give it: a number, a document kind and a country name or code. */
export function listedId(number: string, kind?: string, country?: string): IdNumber | null {
  const normal = normaliseIdNumber(number);
  if (normal === '') return null;
  const code = toCountryCode(country);
  return { number: normal, type: idTypeOf(kind), ...(code ? { country: code } : {}) };
}

// A number this short agrees by chance too often to make a match certain.
export const MIN_CERTAIN_ID_LENGTH = 6;

const comparable = (a?: string, b?: string): boolean =>
  a === undefined || b === undefined || a === b;
const typesComparable = (a?: IdType, b?: IdType): boolean =>
  a === undefined || b === undefined || a === 'MISC' || b === 'MISC' || a === b;

/**
 * `agrees` when a number is the same (and its type and country, where both sides know them, do
 * not contradict); `differs` when both sides hold a document of the same known type and country
 * and no number agrees; otherwise `unknown`.
 */
export function compareIds(
  listed: readonly IdNumber[],
  given: readonly IdNumber[],
): 'agrees' | 'differs' | 'unknown' {
  let sameDocument = false;
  for (const l of listed) {
    for (const g of given) {
      const sameKind = typesComparable(l.type, g.type) && comparable(l.country, g.country);
      if (!sameKind) continue;
      if (l.number === g.number && l.number.length >= MIN_CERTAIN_ID_LENGTH) return 'agrees';
      const known = l.type !== undefined && l.type !== 'MISC' && l.type === g.type;
      const sameCountry = l.country !== undefined && l.country === g.country;
      if (known && sameCountry && l.number !== g.number) sameDocument = true;
    }
  }
  return sameDocument ? 'differs' : 'unknown';
}
