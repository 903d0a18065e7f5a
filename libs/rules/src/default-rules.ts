import type { Rule } from './context';
import { ConfirmedMatchRule } from './rules/confirmed-match.rule';
import { FeftaPaymentReportRule } from './rules/fefta-payment-report.rule';
import { IndirectExposureRule } from './rules/indirect-exposure.rule';
import { NameMatchRule } from './rules/name-match.rule';
import { RestrictedJurisdictionRule } from './rules/restricted-jurisdiction.rule';
import { SanctionsAddressMatchRule } from './rules/sanctions-address-match.rule';
import { StructuringRule } from './rules/structuring.rule';
import { ThirdCountryRoutingRule } from './rules/third-country-routing.rule';
import { ValuationMissingRule } from './rules/valuation-missing.rule';

/** The rules the screener runs, in the order their findings are published. Add a rule here. */
export function defaultRules(): Rule[] {
  return [
    new SanctionsAddressMatchRule(),
    new RestrictedJurisdictionRule(),
    new FeftaPaymentReportRule(),
    new StructuringRule(),
    new ValuationMissingRule(),
    new IndirectExposureRule(),
    new NameMatchRule(),
    new ThirdCountryRoutingRule(),
    new ConfirmedMatchRule(),
  ];
}
