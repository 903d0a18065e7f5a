import Decimal from 'decimal.js';
import { MAX_FRACTION_DIGITS, money, toDecimalString } from './money';

export interface Valuation {
  valueJpy: string | null;
  source: 'event' | 'rate' | null;
  rateJpy?: string;
}

/**
 * The yen value of a transfer: the producer's `valueJpy` when present (the exchange valued it
 * at execution), else `amount × rate` from the latest `rates.v1` price, else unknown.
 *
 * The product is exact (see `Money`). Only when it has more than 36 fraction digits, the most a
 * contract decimal string may carry, is it cut, and then rounded up: a value is never understated
 * against a threshold by rounding.
 */
export function valueInJpy(
  event: { amount: string; valueJpy?: string },
  rateJpy: string | null,
): Valuation {
  if (event.valueJpy !== undefined) return { valueJpy: event.valueJpy, source: 'event' };
  if (rateJpy === null) return { valueJpy: null, source: null };
  const product = money(event.amount).times(money(rateJpy));
  const value =
    product.decimalPlaces() > MAX_FRACTION_DIGITS
      ? product.toDecimalPlaces(MAX_FRACTION_DIGITS, Decimal.ROUND_UP)
      : product;
  return { valueJpy: toDecimalString(value), source: 'rate', rateJpy };
}
