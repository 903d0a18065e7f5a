import { RuleId } from '@sekimori/contracts';
import type { ListMatch } from '@sekimori/contracts';
import type { Finding, Rule, ScreeningContext } from '../context';
import { capitalise, describeSide } from '../describe';
import { type AddressExposure, exposingMatch } from '../exposure';
import { finding } from '../finding';
import { LegalBasis } from '../legal-basis';
import type { RulesConfig } from '../rules-config';

function reason(x: AddressExposure): string {
  const s = x.source;
  return `${capitalise(describeSide(x.side))} address ${x.address} on ${x.chain} received funds directly from ${s.entityName}'s address ${s.address} on ${s.chain} (sanctions list ${s.listId}, entity ${s.entityId}) in transfer ${s.eventId} at ${s.seenAt}.`;
}

function asMatch(x: AddressExposure): ListMatch {
  const s = x.source;
  return {
    listId: s.listId,
    listVersion: s.listVersion,
    entityId: s.entityId,
    entityName: s.entityName,
    programs: s.programs,
    chain: x.chain,
    address: x.address,
    side: x.side,
  };
}

/**
 * INDIRECT_EXPOSURE: an address of the transfer earlier received funds directly from a
 * sanctioned address (one hop, seen on the on-chain topic) and is not itself listed. The
 * exposure records are kept in Redis by the screener (apps/screener/src/enrichment); this rule
 * decides which of them the event raises.
 *
 * Left out, so that one address is alerted once for one fact:
 * - an address the event matches directly: SANCTIONS_ADDRESS_MATCH (critical/block) covers it;
 * - the recipient of a transfer that itself comes from a listed sender: that transfer creates
 *   (or renews) the exposure and is already blocked by its direct match;
 * - an exposure created by this very event (a redelivery, or a list update that has since
 *   dropped the sender).
 */
export class IndirectExposureRule implements Rule {
  readonly id = RuleId.INDIRECT_EXPOSURE;

  evaluate(ctx: ScreeningContext, config: RulesConfig): Finding | null {
    const direct = new Set(ctx.matches.map((m) => m.address));
    const exposing = exposingMatch(ctx) !== null;
    const raised = ctx.exposures.filter(
      (x) =>
        !direct.has(x.address) &&
        x.source.eventId !== ctx.event.eventId &&
        !(exposing && x.side === 'to'),
    );
    if (raised.length === 0) return null;
    // As for SANCTIONS_ADDRESS_MATCH: the sorted exposed addresses, so a replay that finds the
    // same exposures gives the same alert id.
    const subject = [...new Set(raised.map((x) => `${x.chain}:${x.address}`))].sort().join(',');
    return finding(
      this.id,
      config.rules[this.id],
      raised.map(reason),
      [LegalBasis.FSA_REQUEST_2022_03_14, LegalBasis.FATF_INDIRECT_EXPOSURE],
      { matches: raised.map(asMatch), subject },
    );
  }
}
