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
}

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
  /** `exact`: same words in the same order; `reordered`: same words in another order. */
  how: 'exact' | 'reordered';
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
