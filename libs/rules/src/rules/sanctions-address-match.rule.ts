import { RuleId } from '@sekimori/contracts';
import type { ListMatch } from '@sekimori/contracts';
import type { Finding, Rule, ScreeningContext } from '../context';
import { describeSide } from '../describe';
import { finding } from '../finding';
import { LegalBasis } from '../legal-basis';
import { describePrograms, listWording } from '../list-wording';
import type { RulesConfig } from '../rules-config';

function matchSentence(m: ListMatch): string {
  const programs = describePrograms(m.listId, m.programs);
  return `The ${describeSide(m.side)} address ${m.address} on ${m.chain} is on sanctions list ${m.listId} (version ${m.listVersion}) as ${m.entityName} (entity ${m.entityId}; ${programs}).`;
}

/**
 * SANCTIONS_ADDRESS_MATCH: an address of the transfer is on a loaded sanctions list. The only
 * rule that applies to on-chain events as well as exchange events. The matching itself (chain
 * case rules, EVM address space) happens upstream; this rule turns the matches into one finding.
 */
export class SanctionsAddressMatchRule implements Rule {
  readonly id = RuleId.SANCTIONS_ADDRESS_MATCH;

  evaluate(ctx: ScreeningContext, config: RulesConfig): Finding | null {
    if (ctx.matches.length === 0) return null;
    const listIds = [...new Set(ctx.matches.map((m) => m.listId))].sort();
    const legalBasis = listIds.map((id) => listWording(id).addressBasis);
    legalBasis.push(LegalBasis.FEFTA_CONFIRMATION_DUTY, LegalBasis.FSA_REQUEST_2022_03_14);
    // The subject is the set of matched addresses: a later list version that matches the same
    // addresses of the same event gives the same alert id; a new matched address gives a new one.
    const subject = [...new Set(ctx.matches.map((m) => `${m.chain}:${m.address}`))]
      .sort()
      .join(',');
    return finding(
      this.id,
      config.rules[this.id],
      ctx.matches.map(matchSentence),
      [...new Set(legalBasis)],
      {
        matches: ctx.matches,
        subject,
      },
    );
  }
}
