import { RuleId } from '@sekimori/contracts';
import type { ListMatch } from '@sekimori/contracts';
import type { Finding, NameMatch, Rule, ScreeningContext } from '../context';
import { isExchangeEvent } from '../context';
import { finding } from '../finding';
import { LegalBasis } from '../legal-basis';
import { describePrograms, listWording } from '../list-wording';
import type { RulesConfig } from '../rules-config';

const NAME_TYPES: Readonly<Record<NameMatch['nameType'], string>> = {
  primary: 'primary name',
  aka: 'alias',
  fka: 'former name',
  nka: 'new name',
};

/**
 * Names the list entry only: the customer's own wording of the counterparty name is never
 * repeated (it equals the listed name once normalised, and the alert must not carry personal
 * data beyond what the list itself publishes).
 */
function reason(m: NameMatch): string {
  const { list, idLabel } = listWording(m.listId);
  const order = m.how === 'reordered' ? ', words in another order' : '';
  const of = m.nameType === 'primary' ? '' : ` of ${m.entityName}`;
  const programmes = describePrograms(m.listId, m.programs);
  return `Counterparty name matches ${list} entry ${m.listedName} (${NAME_TYPES[m.nameType]}${of}${order}, ${idLabel} ${m.entityId}; ${programmes}; list version ${m.listVersion}).`;
}

/**
 * The alert's `matches`: the list entry, with `chain` and `address` left empty on purpose. No
 * address of the transfer is listed; a consumer that collects matched addresses (to block them)
 * must not learn the counterparty's wallet from a name match. `side` is `address` because the
 * counterparty is the holder of the external wallet side of the exchange transfer.
 */
function asMatch(m: NameMatch): ListMatch {
  return {
    listId: m.listId,
    listVersion: m.listVersion,
    entityId: m.entityId,
    entityName: m.entityName,
    programs: m.programs,
    chain: '',
    address: '',
    side: 'address',
  };
}

/**
 * NAME_MATCH: the exchange counterparty's name equals a listed party's name or alias, after
 * normalisation, in the same word order or another (docs/rules.md, "NAME_MATCH"). The matching
 * itself happens in @sekimori/sanctions (names/) against the list's name index; this rule turns
 * the matches into one finding per event.
 *
 * High/hold, not critical/block: a name alone can belong to someone else (OFAC FAQ 5), so the
 * transfer waits for a person to compare the entry's other identifiers.
 */
export class NameMatchRule implements Rule {
  readonly id = RuleId.NAME_MATCH;

  evaluate(ctx: ScreeningContext, config: RulesConfig): Finding | null {
    if (!isExchangeEvent(ctx.event)) return null;
    const found = ctx.nameMatches ?? [];
    if (found.length === 0) return null;
    const listIds = [...new Set(found.map((m) => m.listId))].sort();
    const legalBasis = listIds.map((id) => listWording(id).nameBasis);
    legalBasis.push(LegalBasis.FEFTA_CONFIRMATION_DUTY, LegalBasis.FSA_REQUEST_2022_03_14);
    // The subject is the set of matched entries: a redelivery, or a later list version that
    // matches the same entries, gives the same alert id; a newly matched entry gives a new one.
    const subject = [...new Set(found.map((m) => `${m.listId}:${m.entityId}`))].sort().join(',');
    return finding(this.id, config.rules[this.id], found.map(reason), [...new Set(legalBasis)], {
      matches: found.map(asMatch),
      subject,
    });
  }
}
