import type { ExchangeTransfer, ListSide } from '@sekimori/contracts';
import type { CrossBorderVerdict } from './cross-border';
import { formatYen } from './money';
import type { Valuation } from './valuation';

/** Sentence fragments shared by the rules, so every alert words the same fact the same way. */

/** `withdrawal`, `deposit`, `internal transfer`: the direction as a noun a sentence can use. */
export function describeDirection(event: ExchangeTransfer): string {
  return event.direction === 'internal' ? 'internal transfer' : event.direction;
}

export function describeTransfer(event: ExchangeTransfer): string {
  return `${describeDirection(event)} of ${event.amount} ${event.asset} on ${event.chain} for account ${event.account.id}`;
}

export function describeValuation(event: ExchangeTransfer, valuation: Valuation): string {
  if (valuation.valueJpy === null) return 'its yen value is unknown';
  if (valuation.source === 'rate' && valuation.rateJpy !== undefined) {
    return `valued at ${formatYen(valuation.valueJpy)} (${event.amount} ${event.asset} × the latest rate of ${formatYen(valuation.rateJpy)} per ${event.asset})`;
  }
  return `valued at ${formatYen(valuation.valueJpy)} (valueJpy given by the exchange)`;
}

export function describeJurisdictions(verdict: CrossBorderVerdict): string {
  return `Origin ${verdict.origin ?? 'unknown'}, destination ${verdict.destination ?? 'unknown'}.`;
}

export function describeSide(side: ListSide): string {
  switch (side) {
    case 'from':
      return 'sending';
    case 'to':
      return 'receiving';
    case 'address':
      return 'external wallet';
  }
}

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
