import { RuleId } from '@sekimori/contracts';
import type { Finding, Rule, ScreeningContext } from '../context';
import { finding } from '../finding';
import { LegalBasis } from '../legal-basis';
import { formatYen, money } from '../money';
import type { RoutingEntry, RoutingFinding } from '../fund-flows/routing';
import type { RulesConfig } from '../rules-config';

function amountOf(e: RoutingEntry): string {
  return `${e.amount} ${e.asset}${e.valueJpy === null ? '' : ` (${formatYen(e.valueJpy)})`}`;
}

function describeInflow(e: RoutingEntry): string {
  const from = e.vasp ? ` via ${e.vasp}` : '';
  const where = e.country ? ` in ${e.country}` : '';
  return `deposit ${e.eventId} of ${amountOf(e)} at ${e.at}${from}${where}, ${e.why.join('; ')}`;
}

function describeOutflow(e: RoutingEntry): string {
  const to = e.vasp ? ` to ${e.vasp}` : '';
  return `withdrawal ${e.eventId} of ${amountOf(e)} at ${e.at}${to} in ${e.country ?? 'an unknown country'}`;
}

function sum(value: string, unit: string): string {
  return unit === 'JPY' ? formatYen(value) : `${value} ${unit}`;
}

function reasonsOf(f: RoutingFinding, account: string): string[] {
  const inflows = `Account ${account} received ${f.inflows.map(describeInflow).join('; and ')}.`;
  if (f.pattern === 'pass-through') {
    const share = money(f.share as string)
      .times(100)
      .toDecimalPlaces(1)
      .toFixed();
    const unit = f.unit as string;
    return [
      inflows,
      `Within ${f.windowHours} hours, ${sum(f.outflowSum as string, unit)} left the account for third countries against ${sum(f.inflowSum as string, unit)} that came in: ${share}% passed through, in ${f.outflows.map(describeOutflow).join('; ')}.`,
      ...(f.completedBy === 'late-inflow'
        ? ['This deposit was screened after the withdrawals it precedes; it completes the pattern.']
        : []),
    ];
  }
  return [
    inflows,
    `Within ${f.windowHours} hours of it, the account paid ${f.vasps.length} distinct foreign VASPs (${f.vasps.join(', ')}): ${f.outflows.map(describeOutflow).join('; ')}.`,
    ...(f.completedBy === 'late-inflow'
      ? ['This deposit was screened after the withdrawals it precedes; it completes the pattern.']
      : []),
  ];
}

/**
 * THIRD_COUNTRY_ROUTING: funds that came into an account from a listed or exposed address, a
 * restricted jurisdiction or a Russian VASP leave it within the window for a third country
 * (pass-through), or are spread over several foreign VASPs (fan-out). The account's log lives
 * in Redis (the screener's routing store); `decideRouting` judges it, this rule words it.
 */
export class ThirdCountryRoutingRule implements Rule {
  readonly id = RuleId.THIRD_COUNTRY_ROUTING;

  evaluate(ctx: ScreeningContext, config: RulesConfig): Finding | null {
    const routing = ctx.routing;
    if (!routing || routing.findings.length === 0 || ctx.event.type !== 'exchange-transfer') {
      return null;
    }
    const account = ctx.event.account.id;
    return finding(
      this.id,
      config.rules[this.id],
      routing.findings.flatMap((f) => reasonsOf(f, account)),
      [
        LegalBasis.FINCEN_RUSSIA_EVASION,
        LegalBasis.FINCEN_BIS_TRANSSHIPMENT,
        LegalBasis.FATF_RED_FLAGS_ROUTING,
      ],
    );
  }
}
