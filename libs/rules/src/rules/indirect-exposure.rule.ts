import { listMatchOf, RuleId } from '@sekimori/contracts';
import type { ExposureHop, ListMatch } from '@sekimori/contracts';
import type { Finding, Rule, ScreeningContext } from '../context';
import { capitalise, describeSide } from '../describe';
import { type AddressExposure, exposingMatch } from '../fund-flows/exposure';
import { finding } from '../finding';
import { LegalBasis } from '../legal-basis';
import { formatYen, money } from '../money';
import type { RulesConfig } from '../rules-config';

function describeHop(h: ExposureHop): string {
  const value = h.valueJpy === null ? '' : `, ${formatYen(h.valueJpy)}`;
  return `${h.from} → ${h.to} in transfer ${h.eventId} at ${h.at} (${h.amount} ${h.asset}${value})`;
}

function reason(x: AddressExposure): string {
  const { source, hops } = x.path;
  const who =
    x.side === 'account'
      ? capitalise(x.address)
      : `${capitalise(describeSide(x.side))} address ${x.address} on ${x.chain}`;
  const reach =
    hops.length === 1 ? 'received funds directly from' : `received funds ${hops.length} hops from`;
  const share = money(x.path.share).times(100).toDecimalPlaces(1).toFixed();
  const attributed = x.path.attributedJpy === null ? '' : ` (${formatYen(x.path.attributedJpy)})`;
  return `${who} ${reach} ${source.entityName}'s address ${source.address} on ${source.chain} (sanctions list ${source.listId}, entity ${source.entityId}): ${hops.map(describeHop).join('; ')}. Up to ${x.path.attributedAmount} ${hops[hops.length - 1].asset}${attributed}, ${share}% of the last transfer, can be attributed to the listed source.`;
}

function asMatch(x: AddressExposure): ListMatch | null {
  if (x.side === 'account') return null;
  return listMatchOf(x.path.source, x.chain, x.address, x.side);
}

/**
 * The exposures of an event that INDIRECT_EXPOSURE raises (see the rule for what is left out):
 * what a clearance of the rule can silence.
 */
export function raisedExposures(
  ctx: Pick<ScreeningContext, 'event' | 'matches' | 'exposures'>,
): AddressExposure[] {
  const direct = new Set(ctx.matches.map((m) => m.address));
  const exposing = exposingMatch(ctx) !== null;
  return ctx.exposures.filter((x) => {
    if (x.side === 'account')
      return ctx.event.type === 'exchange-transfer' && ctx.event.direction !== 'deposit';
    return !direct.has(x.address) && !(exposing && x.side === 'to');
  });
}

/**
 * INDIRECT_EXPOSURE: funds from a listed address reached an address or account of the
 * transfer through at most `exposureMaxHops` transfers, strongly enough to carry (see
 * `extendPath`). The paths are kept in Redis by the screener; this rule decides which it raises.
 *
 * Left out, so that one node is alerted once for one fact: an address the event matches
 * directly (SANCTIONS_ADDRESS_MATCH covers it); the recipient of a transfer from a listed
 * sender (that transfer starts the path and is blocked by its direct match); an account that
 * only receives (its exposure matters when funds leave it).
 */
export class IndirectExposureRule implements Rule {
  readonly id = RuleId.INDIRECT_EXPOSURE;

  evaluate(ctx: ScreeningContext, config: RulesConfig): Finding | null {
    const raised = raisedExposures(ctx);
    if (raised.length === 0) return null;
    // The sorted exposed nodes, so a replay that finds the same exposures gives the same alert id.
    const subject = [...new Set(raised.map((x) => `${x.chain}:${x.address}`))].sort().join(',');
    return finding(
      this.id,
      config.rules[this.id],
      raised.map(reason),
      [LegalBasis.FSA_REQUEST_2022_03_14, LegalBasis.FATF_INDIRECT_EXPOSURE],
      {
        matches: raised.map(asMatch).filter((m): m is ListMatch => m !== null),
        subject,
        exposurePaths: raised,
      },
    );
  }
}
