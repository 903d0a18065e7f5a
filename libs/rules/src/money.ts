import Decimal from 'decimal.js';

/**
 * Decimal arithmetic for yen and amounts. The default decimal.js precision (20 significant
 * digits) would silently round a product such as 123.456789012345678 BTC × ¥15,234,000.123; the
 * contract allows 78 integer and 36 fraction digits on each factor (libs/contracts validators),
 * so a product has at most 228 significant digits and 300 keeps every multiplication exact.
 */
export const Money = Decimal.clone({
  precision: 300,
  rounding: Decimal.ROUND_HALF_UP,
  toExpNeg: -400,
  toExpPos: 400,
});
export type Money = Decimal;

/** The contract caps fraction digits of a decimal string at 36 (libs/contracts `isDecimalString`). */
export const MAX_FRACTION_DIGITS = 36;

export function money(value: string): Money {
  return new Money(value);
}

/** Plain decimal string without exponent or trailing zeros: `"30000000"`, `"0.5"`. */
export function toDecimalString(value: Money): string {
  return value.toFixed();
}

/**
 * `¥30,000,000` / `¥30,000,000.01` for reasons a person reads. Digits are grouped by string
 * manipulation on the exact decimal text, never through `Number` (which loses digits past 2^53).
 */
export function formatYen(value: string | Money): string {
  const text = (typeof value === 'string' ? money(value) : value).toFixed();
  const negative = text.startsWith('-');
  const unsigned = negative ? text.slice(1) : text;
  const [whole, fraction] = unsigned.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}¥${grouped}${fraction ? `.${fraction}` : ''}`;
}
