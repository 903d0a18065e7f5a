import { RuleId } from '@sekimori/contracts';
import { isExchangeEvent } from '../context';
import type { Finding, Rule, ScreeningContext } from '../context';
import { capitalise, describeTransfer } from '../describe';
import { finding } from '../finding';
import { LegalBasis } from '../legal-basis';
import { formatYen } from '../money';
import type { RulesConfig } from '../rules-config';

/**
 * VALUATION_MISSING: a transfer that is, or may be, cross-border has no yen value, so the
 * report threshold cannot be checked. Raised instead of silently passing the transfer.
 */
export class ValuationMissingRule implements Rule {
  readonly id = RuleId.VALUATION_MISSING;

  evaluate(ctx: ScreeningContext, config: RulesConfig): Finding | null {
    const { event, valuation, verdict } = ctx;
    if (!isExchangeEvent(event) || valuation.valueJpy !== null) return null;
    if (verdict.crossBorder === false) return null;
    const location =
      verdict.crossBorder === true ? 'is cross-border' : 'may be cross-border (location unknown)';
    const reasons = [
      `${capitalise(describeTransfer(event))} ${location} but has no yen value: the event carries no valueJpy and no rate for ${event.asset} is known, so the report threshold of ${formatYen(config.reportThresholdJpy)} cannot be checked.`,
      ...verdict.reasons,
    ];
    return finding(this.id, config.rules[this.id], reasons, [
      LegalBasis.FEFTA_PAYMENT_REPORT,
      LegalBasis.FEFTA_CONFIRMATION_DUTY,
    ]);
  }
}
