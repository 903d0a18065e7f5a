import type { AlertAction } from './rule-ids';
import type { DeadLetterCode } from './dead-letter-codes';

/** What a withdrawal system gates on: an alert's action, or `pass` when no rule was raised. */
export type DecisionOutcome = AlertAction | 'pass';

/** Most severe first (contract, `decision`): the order in which actions outrank each other. */
export const DECISION_SEVERITY: readonly DecisionOutcome[] = [
  'block',
  'hold',
  'review',
  'report',
  'pass',
];

/** The more severe of two outcomes. */
export function moreSevere(a: DecisionOutcome, b: DecisionOutcome): DecisionOutcome {
  return DECISION_SEVERITY.indexOf(a) <= DECISION_SEVERITY.indexOf(b) ? a : b;
}

/** The `decision` message on `decisions.v1` (docs/integration.md, "decision"): one per event. */
export interface Decision {
  type: 'decision';
  eventId: string;
  /** Null only for an unscreenable event whose `type` could not be read. */
  eventType: 'onchain-transfer' | 'exchange-transfer' | null;
  /** As on alerts; null for an unscreenable event where it could not be read. */
  subjectKey: string | null;
  occurredAt: string | null;
  decision: DecisionOutcome;
  ruleIds: string[];
  alertIds: string[];
  /** Every list version it was screened against (`listId:version,...`); empty when unscreenable. */
  listVersion: string;
  screenedAt: string;
  retroactive: boolean;
  /** The dead-letter code when the event could not be screened (then `decision` is `hold`). */
  unscreenable?: DeadLetterCode;
  /** On the decision re-issued once every hold and review alert of the event has an outcome. */
  final?: true;
  /** With `final`: the reviews behind it, in the order they were applied. */
  reviewIds?: string[];
  /** With `final`: the decision it replaces, as it was published. */
  supersedes?: SupersededDecision;
  /** Matches not raised because a clearance is in force. */
  suppressed?: SuppressedMatch[];
}

/** The decision a final decision replaces: enough to find it and see what changed. */
export interface SupersededDecision {
  decision: DecisionOutcome;
  alertIds: string[];
  screenedAt: string;
}

/** A match a clearance silenced, and who cleared it. */
export interface SuppressedMatch {
  clearanceId: string;
  ruleId: string;
  listId: string;
  entityId: string;
  reviewer: string;
}
