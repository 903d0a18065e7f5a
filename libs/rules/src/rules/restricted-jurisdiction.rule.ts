import { RuleId } from '@sekimori/contracts';
import { isExchangeEvent } from '../context';
import type { Finding, Rule, ScreeningContext } from '../context';
import { describeTransfer } from '../describe';
import { finding } from '../finding';
import { LegalBasis } from '../legal-basis';
import type { RulesConfig } from '../rules-config';

/**
 * RESTRICTED_JURISDICTION: the counterparty's residency, the counterparty VASP's country or the
 * customer's session country is in the configured restricted set. Each field that matched gets
 * its own sentence, so an operator sees at once whether the person, the VASP or the session did.
 */
export class RestrictedJurisdictionRule implements Rule {
  readonly id = RuleId.RESTRICTED_JURISDICTION;

  evaluate(ctx: ScreeningContext, config: RulesConfig): Finding | null {
    const { event } = ctx;
    if (!isExchangeEvent(event)) return null;
    const restricted = new Set(config.restrictedCountries);
    const fields: Array<[string, string | undefined]> = [
      ["counterparty's residency (counterparty.residency)", event.counterparty.residency],
      ["counterparty VASP's country (counterparty.vaspCountry)", event.counterparty.vaspCountry],
      ["customer's session country (ipCountry)", event.ipCountry],
    ];
    const hits = fields.filter(
      (f): f is [string, string] => f[1] !== undefined && restricted.has(f[1]),
    );
    if (hits.length === 0) return null;
    const reasons = hits.map(
      ([label, country]) => `The ${label} is ${country}, a restricted jurisdiction.`,
    );
    reasons.push(
      `Restricted set: ${config.restrictedCountries.join(', ')}; the transfer is the ${describeTransfer(event)}.`,
    );
    return finding(this.id, config.rules[this.id], reasons, [
      LegalBasis.FEFTA_CONFIRMATION_DUTY,
      LegalBasis.FSA_REQUEST_2022_03_14,
    ]);
  }
}
