import { RuleId } from '@sekimori/contracts';
import { isExchangeEvent } from '../context';
import type { Finding, Rule, ScreeningContext } from '../context';
import {
  capitalise,
  describeJurisdictions,
  describeTransfer,
  describeValuation,
} from '../describe';
import { finding } from '../finding';
import { LegalBasis } from '../legal-basis';
import { formatYen, money } from '../money';
import type { RulesConfig } from '../rules-config';

/**
 * FEFTA_PAYMENT_REPORT: a cross-border payment exceeding ¥30 million must be reported to the
 * Minister of Finance (FEFTA Art. 55). "Exceeding": exactly ¥30,000,000 is not reportable,
 * ¥30,000,000.01 is. When the location is unknown the same rule is raised for review, since
 * the report may be due and nobody can tell yet.
 */
export class FeftaPaymentReportRule implements Rule {
  readonly id = RuleId.FEFTA_PAYMENT_REPORT;

  evaluate(ctx: ScreeningContext, config: RulesConfig): Finding | null {
    const { event, valuation, verdict } = ctx;
    if (!isExchangeEvent(event) || valuation.valueJpy === null) return null;
    if (verdict.crossBorder === false) return null;
    const threshold = config.reportThresholdJpy;
    if (!money(valuation.valueJpy).gt(money(threshold))) return null;

    const settings = config.rules[this.id];
    const known = verdict.crossBorder === true;
    const what = `${capitalise(describeTransfer(event))}, ${describeValuation(event, valuation)}`;
    const reasons = [
      known
        ? `${what}, is a cross-border payment exceeding the report threshold of ${formatYen(threshold)}.`
        : `${what}, exceeds the report threshold of ${formatYen(threshold)} and whether it crosses the border is unknown: review whether a report is due.`,
      ...verdict.reasons,
      describeJurisdictions(verdict),
    ];
    return finding(this.id, settings, reasons, [LegalBasis.FEFTA_PAYMENT_REPORT], {
      action: known ? settings.action : settings.unknownLocationAction,
    });
  }
}
