import type { ExchangeTransfer, NameMatch } from '@sekimori/contracts';
import {
  adjustScore,
  compareEvidence,
  DEFAULT_EVIDENCE_WEIGHTS,
  type Evidence,
  type EvidenceWeights,
  namesToScreen,
  type ScreenedName as TravelRuleName,
  suppliedByTravelRule,
  UNKNOWN_EVIDENCE,
} from '@sekimori/identifiers';
import {
  byListEntry,
  type ListNameIndex,
  type NameCandidate,
  nameMatchOf,
  type NameThresholds,
  type ScreenedName,
  screenedNameOf,
} from '@sekimori/name-matching';
import { type CrossBorderVerdict, crossBorderVerdict } from '@sekimori/rules';
import type { ScreenableTransfer } from './transfer-decoder';

/*
 * NAME_MATCH and FEFTA with travel-rule data (docs/rules.md, "Travel-rule data"): every name the
 * event and its IVMS101 record carry, each compared with the listed party's birth dates,
 * nationalities and id numbers; and the counterparty's countries the record supplies.
 */

/** How much the secondary identifiers move a name's score (NAME_EVIDENCE_*). */
export interface EvidenceSettings extends EvidenceWeights {
  /** An agreeing id number makes a match certain when the name scores at least this. */
  idMinNameScore: number;
}

export const DEFAULT_EVIDENCE_SETTINGS: EvidenceSettings = {
  ...DEFAULT_EVIDENCE_WEIGHTS,
  idMinNameScore: 0.7,
};

/** One name of a transfer to match; `from` is set when the event has travel-rule data. */
export interface TransferName {
  screened: ScreenedName;
  from: TravelRuleName | null;
}

/**
 * The names NAME_MATCH screens. Without travel-rule data or a reading: the account holder's and
 * the counterparty's `name`, as before. With them: every name `namesToScreen` gives, with its
 * source and its party's identifiers.
 */
export function transferNamesOf(transfer: ScreenableTransfer): TransferName[] {
  if (transfer.kind !== 'exchange-transfer') return [];
  const event = transfer.event;
  const out: TransferName[] = [];
  if (!hasTravelRuleData(event)) {
    for (const nameOf of ['account', 'counterparty'] as const) {
      const screened = screenedNameOf(event[nameOf].name, nameOf);
      if (screened) out.push({ screened, from: null });
    }
    return out;
  }
  for (const name of namesToScreen(event)) {
    const screened = screenedNameOf(name.name, name.nameOf);
    if (screened) out.push({ screened, from: name });
  }
  return out;
}

/**
 * Whether `transferNamesOf` may give the transfer a name, asked without normalising any: true
 * for every exchange transfer with a name, a reading or travel-rule data, even one whose names
 * all turn out blank, so it never says no where a name is screened.
 */
export function hasNamesToScreen(transfer: ScreenableTransfer): boolean {
  if (transfer.kind !== 'exchange-transfer') return false;
  const event = transfer.event;
  return (
    hasTravelRuleData(event) ||
    event.account.name !== undefined ||
    event.counterparty.name !== undefined
  );
}

function hasTravelRuleData(event: ExchangeTransfer): boolean {
  return (
    event.travelRule !== undefined ||
    event.account.nameKana !== undefined ||
    event.counterparty.nameKana !== undefined
  );
}

/**
 * The list entries the names match, with the evidence applied: a differing birth date lowers a
 * name's score (below the threshold, no match), an agreeing id number makes it 1, even for a
 * name the index alone would not have proposed. One match per (side, list entry), the best; in
 * name order, then list and entity order.
 */
export function matchTransferNames(
  names: readonly TransferName[],
  indexes: readonly ListNameIndex[],
  thresholds: NameThresholds,
  settings: EvidenceSettings = DEFAULT_EVIDENCE_SETTINGS,
): NameMatch[] {
  const best = new Map<string, NameMatch>();
  for (const { screened, from } of names) {
    const found: NameMatch[] = [];
    const numbers = from?.party?.ids.map((id) => id.number) ?? [];
    for (const list of indexes) {
      const { index } = list;
      for (const c of index.searchName(screened.given, screened.forms, thresholds)) {
        const evidence = evidenceOf(list, c, from, settings);
        const { score, certain } = adjustScore(c.score, evidence, settings);
        const threshold =
          c.stored.partyKind === 'individual' ? thresholds.person : thresholds.entity;
        if (certain || score >= threshold)
          found.push(matchOf(list, c, screened, from, score, evidence));
      }
      if (numbers.length === 0) continue;
      for (const c of index.searchIdNumbers(screened.forms, numbers)) {
        const evidence = evidenceOf(list, c, from, settings);
        if (evidence.idNumber !== 'agrees' || c.score < settings.idMinNameScore) continue;
        found.push(matchOf(list, c, screened, from, 1, evidence));
      }
    }
    for (const m of found.sort(byListEntry)) {
      const key = `${m.nameOf}\u0000${m.listId}\u0000${m.entityId}`;
      const seen = best.get(key);
      if (!seen || m.score > seen.score) best.set(key, m);
    }
  }
  // Map order is first-seen order: a better later match keeps its entry's first place.
  return [...best.values()];
}

function evidenceOf(
  list: ListNameIndex,
  c: NameCandidate,
  from: TravelRuleName | null,
  settings: EvidenceSettings,
): Evidence {
  if (!from?.party) return UNKNOWN_EVIDENCE;
  return compareEvidence(list.index.identifiersOf(c.stored), from.party, settings);
}

function matchOf(
  list: ListNameIndex,
  c: NameCandidate,
  screened: ScreenedName,
  from: TravelRuleName | null,
  score: number,
  evidence: Evidence,
): NameMatch {
  const match = nameMatchOf(list, c, screened, score);
  return from ? { ...match, nameSource: from.nameSource, evidence } : match;
}

/**
 * The cross-border verdict, with the counterparty's residency and VASP country taken from the
 * travel-rule record where the event lacks them; each value so taken is named in the reasons.
 */
export function travelRuleVerdict(
  event: ExchangeTransfer,
  homeCountry: string,
): CrossBorderVerdict {
  const supplied = suppliedByTravelRule(event);
  if (supplied.residency === undefined && supplied.vaspCountry === undefined) {
    return crossBorderVerdict(event, homeCountry);
  }
  const counterparty = {
    ...event.counterparty,
    ...(supplied.residency ? { residency: supplied.residency.country } : {}),
    ...(supplied.vaspCountry ? { vaspCountry: supplied.vaspCountry.country } : {}),
  };
  const verdict = crossBorderVerdict({ ...event, counterparty }, homeCountry);
  const notes: string[] = [];
  if (supplied.vaspCountry) {
    notes.push(
      `The counterparty's VASP country ${supplied.vaspCountry.country} comes from the travel-rule record (${supplied.vaspCountry.source}).`,
    );
  }
  if (supplied.residency) {
    notes.push(
      `The counterparty's residency ${supplied.residency.country} comes from the travel-rule record (${supplied.residency.source}).`,
    );
  }
  return { ...verdict, reasons: [...verdict.reasons, ...notes] };
}
