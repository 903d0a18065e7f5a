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
  /** NAME_MATCH only (docs/contract.md): the list's spelling of the name that matched. */
  listedName?: string;
  /** NAME_MATCH only: the name as the exchange holds it. */
  givenName?: string;
  nameOf?: NameOf;
  /** NAME_MATCH only: 0 to 1, 1 for the same words; compared with the list kind's threshold. */
  score?: number;
  method?: NameMatchMethod;
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
 * A list entry whose name or alias equals an exchange counterparty's name (NAME_MATCH): what the
 * name matcher finds in a list's name index and the rule words its alert from.
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
}

export interface Jurisdictions {
  origin: string | null;
  destination: string | null;
}

/** The `alert` message on `alerts.v1` (shared/CONTRACT.md, "alert"). */
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
  reasons: string[];
  legalBasis: string[];
  listVersion: string;
  retroactive: boolean;
}
