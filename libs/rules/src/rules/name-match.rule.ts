import { listMatchOf, RuleId } from '@sekimori/contracts';
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

const WHOSE: Readonly<Record<NameMatch['nameOf'], string>> = {
  account: "Account holder's name",
  counterparty: "Counterparty's name",
};

const HOW: Readonly<Record<NameMatch['method'], string>> = {
  exact: 'exactly',
  reordered: 'with its words in another order',
  transliterated: 'in another script or romanisation',
  partial: 'with a middle name or patronymic missing on one side',
  fuzzy: 'by similar spelling',
};

/**
 * Says which name matched which entry and how; the customer's own wording stays in the match's
 * `givenName` (the contract's field), not in the sentence that operators' tools quote and log.
 */
function reason(m: NameMatch): string {
  const { list, idLabel } = listWording(m.listId);
  const of = m.nameType === 'primary' ? '' : ` of ${m.entityName}`;
  const programs = describePrograms(m.listId, m.programs);
  return `${WHOSE[m.nameOf]} matches ${list} entry ${m.listedName} ${HOW[m.method]}, score ${m.score.toFixed(2)} (${NAME_TYPES[m.nameType]}${of}, ${idLabel} ${m.entityId}; ${programs}; list version ${m.listVersion})${evidenceWording(m)}.`;
}

/** Where the name came from and what the secondary identifiers said; nothing without them. */
function evidenceWording(m: NameMatch): string {
  if (m.evidence === undefined) return '';
  const { birthDate, country, idNumber } = m.evidence;
  const certain = idNumber === 'agrees' ? '; the identification number agrees: certain' : '';
  return `; name from ${m.nameSource ?? 'the event'}, birth date ${birthDate}, country ${country}, identification number ${idNumber}${certain}`;
}

/**
 * The alert's `matches`: the list entry, with `chain` and `address` left empty on purpose. No
 * address of the transfer is listed; a consumer that collects matched addresses (to block them)
 * must not learn the counterparty's wallet from a name match. `side` is `address` because the
 * counterparty is the holder of the external wallet side of the exchange transfer.
 */
function asMatch(m: NameMatch): ListMatch {
  return {
    ...listMatchOf(m, '', '', 'address'),
    listedName: m.listedName,
    givenName: m.givenName,
    nameOf: m.nameOf,
    score: m.score,
    method: m.method,
    ...(m.nameSource !== undefined ? { nameSource: m.nameSource } : {}),
    ...(m.evidence !== undefined ? { evidence: m.evidence } : {}),
  };
}

/**
 * NAME_MATCH: the account holder's or the counterparty's name matches a listed party's name or
 * alias across scripts and spellings (docs/rules.md, "NAME_MATCH"). The matching itself happens
 * in @sekimori/name-matching against the list version's name index; this rule turns
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
