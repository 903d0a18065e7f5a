import type { AlertAction, RuleId, Severity } from './rule-ids';

export type ListSide = 'from' | 'to' | 'address';

export interface ListMatch {
  listId: string;
  listVersion: string;
  entityId: string;
  entityName: string;
  programs: string[];
  chain: string;
  address: string;
  side: ListSide;
  /** NAME_MATCH only (docs/integration.md): the list's spelling of the name that matched. */
  listedName?: string;
  /** NAME_MATCH only: the name as the exchange holds it. */
  givenName?: string;
  nameOf?: NameOf;
  /** NAME_MATCH only: 0 to 1, 1 for the same words; compared with the list kind's threshold. */
  score?: number;
  method?: NameMatchMethod;
  /** NAME_MATCH with travel-rule data: the field or IVMS101 identifier the name came from. */
  nameSource?: string;
  /** NAME_MATCH with travel-rule data: the secondary identifiers compared with the entry's. */
  evidence?: MatchEvidence;
}

export type EvidenceVerdict = 'agrees' | 'differs' | 'unknown';

/** Each secondary identifier of a name match: the same as the listed entry's, or not, or unknown. */
export interface MatchEvidence {
  birthDate: EvidenceVerdict;
  country: EvidenceVerdict;
  idNumber: EvidenceVerdict;
}

/** The list entry a match cites: what an address hit, a name hit and an exposure source share. */
export type ListEntryRef = Pick<
  ListMatch,
  'listId' | 'listVersion' | 'entityId' | 'entityName' | 'programs'
>;

/** A match as alerts carry it: the entry, then where in the transfer it was found. */
export function listMatchOf(
  entry: ListEntryRef,
  chain: string,
  address: string,
  side: ListSide,
): ListMatch {
  return {
    listId: entry.listId,
    listVersion: entry.listVersion,
    entityId: entry.entityId,
    entityName: entry.entityName,
    programs: entry.programs,
    chain,
    address,
    side,
  };
}

/** Which name of an exchange transfer matched: the account holder's or the counterparty's. */
export type NameOf = 'account' | 'counterparty';

/**
 * How a name matched: `exact` same words in the same order; `reordered` same words in another
 * order; `transliterated` the same name in another script or romanisation (kana, Cyrillic,
 * Sergei/Sergey); `partial` a middle name or patronymic missing on one side; `fuzzy` spelled
 * alike but not the same (Jaro-Winkler over the words' skeletons).
 */
export type NameMatchMethod = 'exact' | 'reordered' | 'transliterated' | 'partial' | 'fuzzy';

/**
 * A list entry whose name or alias matches an exchange transfer's account holder or counterparty
 * name (NAME_MATCH): what the name matcher finds and the rule words its alert from.
 */
export interface NameMatch {
  listId: string;
  listVersion: string;
  entityId: string;
  entityName: string;
  programs: string[];
  /** The list's spelling of the name that matched (the primary name or an alias). */
  listedName: string;
  nameType: 'primary' | 'aka' | 'fka' | 'nka';
  /** The name that matched, as the exchange holds it. */
  givenName: string;
  nameOf: NameOf;
  /** 0 to 1: 1 for the same words, else the Jaro-Winkler score over the name's words. */
  score: number;
  method: NameMatchMethod;
  /** With travel-rule data or a reading: where in the event the name came from. */
  nameSource?: string;
  /** With travel-rule data or a reading: the secondary identifiers compared. */
  evidence?: MatchEvidence;
}

/** The listed entity at the start of an exposure path, as the list matched its address. */
export interface ExposureSource {
  chain: string;
  address: string;
  listId: string;
  listVersion: string;
  entityId: string;
  entityName: string;
  programs: string[];
}

/** One transfer along an exposure path, as a person reads it on the alert. */
export interface ExposureHop {
  eventId: string;
  /** Event time (`blockTime` or `occurredAt`). */
  at: string;
  chain: string;
  /** The sending address, or `account <id> at <exchange>` for an exchange account. */
  from: string;
  to: string;
  asset: string;
  amount: string;
  valueJpy: string | null;
}

/**
 * How funds from a listed address reached a node, hop by hop. `attributedAmount` (in the last
 * hop's asset) is what of the last transfer can have come from the source: never more than the
 * transfer, never more than what was attributed one hop earlier. `share` is it over the transfer.
 */
export interface ExposurePath {
  source: ExposureSource;
  hops: ExposureHop[];
  attributedAmount: string;
  attributedJpy: string | null;
  share: string;
}

/** An address or account of an event with the exposure path held against it. */
export interface ExposedNode {
  side: ListSide | 'account';
  chain: string;
  /** The address as spelled for the event's chain, or `account <id> at <exchange>`. */
  address: string;
  path: ExposurePath;
}

export interface Jurisdictions {
  origin: string | null;
  destination: string | null;
}

/** The `alert` message on `alerts.v1` (docs/shared-contract.md, "alert"). */
export interface Alert {
  type: 'alert';
  alertId: string;
  ruleId: RuleId;
  severity: Severity;
  action: AlertAction;
  eventId: string;
  eventType: 'onchain-transfer' | 'exchange-transfer';
  subjectKey: string;
  occurredAt: string;
  detectedAt: string;
  crossBorder: boolean | null;
  jurisdictions: Jurisdictions;
  valueJpy?: string;
  /** Where `valueJpy` came from: the producer, a rate from `rates.v1`, or nowhere. */
  valueSource?: 'event' | 'rate';
  matches: ListMatch[];
  /**
   * INDIRECT_EXPOSURE: for each exposed address or account of the event, the path from the listed
   * source to it (docs/rules.md). Absent on other rules.
   */
  exposurePaths?: ExposedNode[];
  reasons: string[];
  legalBasis: string[];
  listVersion: string;
  retroactive: boolean;
}
