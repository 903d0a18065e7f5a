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
