import { isISO31661Alpha2, registerDecorator, ValidationOptions } from 'class-validator';

// Decimal strings only: money never goes through a binary float. No exponent, no sign,
// no leading zeros, at most 78 digits (enough for 2^256 wei) before the point.
const DECIMAL = /^(0|[1-9][0-9]{0,77})(\.[0-9]{1,36})?$/;
const NON_ZERO_DIGIT = /[1-9]/;
// ISO-8601 date-time with an explicit zone (Z or ±hh:mm): a time without one is ambiguous.
// The digits are checked against the calendar below: the pattern alone admits 30 February.
const ZONED_TIME =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const UPPER_PAIR = /^[A-Z]{2}$/;
// Kosovo's user-assigned code: the EU, SWIFT and the IBAN registry use it, and rejecting it would
// hold every Kosovo customer's transfer as unscreenable. Other user-assigned codes (AA, QM–QZ,
// XA–XZ, ZZ) name no country and are refused.
const ACCEPTED_USER_ASSIGNED = new Set(['XK']);

export function isDecimalString(value: unknown, positive: boolean): boolean {
  if (typeof value !== 'string' || !DECIMAL.test(value)) return false;
  return positive ? NON_ZERO_DIGIT.test(value) : true;
}

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/**
 * A real calendar instant: Date.parse rolls 2026-02-30 over to 2 March, so every field is
 * checked against the calendar first. A leap second (:60) is refused: Unix-time sources never
 * write one and Date cannot hold one, so reading it as :59 would move the instant silently.
 */
export function isZonedTime(value: unknown): boolean {
  // The pattern fixes where each field stands (YYYY-MM-DDTHH:MM[:SS]): read in place, with no
  // match array or substrings (two timestamps an event are checked on the decoder's fast path).
  if (typeof value !== 'string' || !ZONED_TIME.test(value)) return false;
  const [month, day, hour, minute] = [
    digits(value, 5),
    digits(value, 8),
    digits(value, 11),
    digits(value, 14),
  ];
  const second = value.charCodeAt(16) === COLON ? digits(value, 17) : 0;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return false;
  return day <= daysIn(digits(value, 0, 4), month) && !Number.isNaN(Date.parse(value));
}

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A date on the calendar, `YYYY-MM-DD` (IVMS101's ISODate): 1960-02-30 is refused. */
export function isCalendarDate(value: unknown): boolean {
  if (typeof value !== 'string' || !CALENDAR_DATE.test(value)) return false;
  const [year, month, day] = [digits(value, 0, 4), digits(value, 5), digits(value, 8)];
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  return day <= daysIn(year, month);
}

const COLON = 0x3a;
const ZERO = 0x30;

/** The number written by the `count` ASCII digits at `at` (the caller's pattern vouches for them). */
function digits(text: string, at: number, count = 2): number {
  let n = 0;
  for (let i = at; i < at + count; i += 1) n = n * 10 + (text.charCodeAt(i) - ZERO);
  return n;
}

function daysIn(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];
}

// A furigana reading: katakana (with the phonetic extensions, the prolonged sound mark, iteration
// marks and the middle dot), the separators written between a foreign name's parts (゠, ＝) and
// spaces. Half-width katakana, which bank systems (Zengin) still hold, is accepted as sent; the
// screening reads it through NFKC. Hiragana, kanji and Latin letters are not a reading: refused.
const KANA_READING = /^[\u30A0-\u30FF\u31F0-\u31FF\uFF65-\uFF9F\uFF1D\u3000 ]+$/;
const KANA_LETTER = /[\u30A1-\u30FA\u30FF\u31F0-\u31FF\uFF66-\uFF6F\uFF71-\uFF9D]/;

/** A name's reading in katakana, full or half width, with at least one kana letter. */
export function isKanaReading(value: unknown): boolean {
  return typeof value === 'string' && KANA_READING.test(value) && KANA_LETTER.test(value);
}

/** An assigned ISO 3166-1 alpha-2 code (class-validator's list), in upper case, or XK. */
export function isCountry(value: unknown): boolean {
  if (typeof value !== 'string' || !UPPER_PAIR.test(value)) return false;
  return ACCEPTED_USER_ASSIGNED.has(value) || isISO31661Alpha2(value);
}

function simpleDecorator(
  name: string,
  test: (value: unknown) => boolean,
  message: string,
  options?: ValidationOptions,
): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `$property ${message}`, ...options },
      validator: { validate: test },
    });
  };
}

export const IsDecimalString = (opts: { positive: boolean }, options?: ValidationOptions) =>
  simpleDecorator(
    'isDecimalString',
    (v) => isDecimalString(v, opts.positive),
    opts.positive ? 'must be a decimal string greater than 0' : 'must be a decimal string >= 0',
    options,
  );

export const IsZonedTime = (options?: ValidationOptions) =>
  simpleDecorator(
    'isZonedTime',
    isZonedTime,
    'must be an ISO-8601 time with a zone, on a real calendar date',
    options,
  );

export const IsCountry = (options?: ValidationOptions) =>
  simpleDecorator(
    'isCountry',
    isCountry,
    'must be an assigned ISO 3166-1 alpha-2 code in upper case',
    options,
  );

export const IsCalendarDate = (options?: ValidationOptions) =>
  simpleDecorator(
    'isCalendarDate',
    isCalendarDate,
    'must be a date YYYY-MM-DD on the calendar',
    options,
  );

export const IsKanaReading = (options?: ValidationOptions) =>
  simpleDecorator(
    'isKanaReading',
    isKanaReading,
    'must be a reading in katakana (full or half width, with ー, ・ and spaces)',
    options,
  );
