import type { ExchangeTransfer, OnchainTransfer } from '@sekimori/contracts';
import type { CrossBorderVerdict } from './cross-border';
import type { StructuringState } from './context';
import { money } from './money';
import type { RulesConfig } from './rules-config';
import type { Valuation } from './valuation';

export interface StructuringCandidateInput {
  event: OnchainTransfer | ExchangeTransfer;
  verdict: CrossBorderVerdict;
  valuation: Valuation;
}

/**
 * Whether an event counts toward its account's structuring window: an exchange transfer known
 * to be cross-border, with a known yen value at or under the report threshold. A transfer over
 * the threshold is reported on its own (FEFTA_PAYMENT_REPORT) and is not a piece of a split.
 * Unknown-location transfers are left out: the contract counts cross-border transfers only.
 */
export function isStructuringCandidate(
  input: StructuringCandidateInput,
  config: RulesConfig,
): boolean {
  if (input.event.type !== 'exchange-transfer') return false;
  if (input.verdict.crossBorder !== true) return false;
  if (input.valuation.valueJpy === null) return false;
  return money(input.valuation.valueJpy).lte(money(config.reportThresholdJpy));
}

/**
 * One alert per crossing: the sum was at or under the threshold before this transfer and is
 * over it after. While the sum stays over, later transfers do not cross again; once old
 * transfers leave the window and the sum falls back, the next crossing alerts again.
 */
export function crossesThreshold(state: StructuringState, thresholdJpy: string): boolean {
  const threshold = money(thresholdJpy);
  return (
    money(state.windowSumBeforeJpy).lte(threshold) && money(state.windowSumAfterJpy).gt(threshold)
  );
}
