import { RuleId } from '@sekimori/contracts';
import { isExchangeEvent } from '../context';
import type { Finding, Rule, ScreeningContext } from '../context';
import { describeDirection, describeValuation } from '../describe';
import { finding } from '../finding';
import { LegalBasis } from '../legal-basis';
import { formatYen } from '../money';
import type { RulesConfig } from '../rules-config';
import { crossesThreshold } from '../structuring';

/**
 * STRUCTURING: an account's cross-border transfers, each at or under the report threshold,
 * together exceed it within the rolling window. Raised once, by the transfer that crosses.
 * The window itself lives in Redis (libs/screening-redis, StructuringWindowStore); this rule reads its state.
 */
export class StructuringRule implements Rule {
  readonly id = RuleId.STRUCTURING;

  evaluate(ctx: ScreeningContext, config: RulesConfig): Finding | null {
    const { event, structuring, valuation } = ctx;
    if (!isExchangeEvent(event) || structuring === null) return null;
    const threshold = config.reportThresholdJpy;
    if (!crossesThreshold(structuring, threshold)) return null;
    const reasons = [
      `Account ${event.account.id}'s cross-border transfers within ${structuring.windowDays} ${structuring.windowDays === 1 ? 'day' : 'days'} up to this one sum to ${formatYen(structuring.windowSumAfterJpy)}, over the report threshold of ${formatYen(threshold)}; before this transfer the sum was ${formatYen(structuring.windowSumBeforeJpy)}.`,
      `This ${describeDirection(event)} of ${event.amount} ${event.asset}, ${describeValuation(event, valuation)}, is at or under the threshold on its own, as was each transfer counted in the window.`,
    ];
    return finding(this.id, config.rules[this.id], reasons, [
      LegalBasis.FATF_RED_FLAGS_STRUCTURING,
      LegalBasis.FINCEN_STRUCTURING,
      LegalBasis.FEFTA_PAYMENT_REPORT,
    ]);
  }
}
