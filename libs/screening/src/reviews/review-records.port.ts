import type { AlertAction, Clearance, Decision, ReviewOutcome } from '@sekimori/contracts';
import type { FreezeRef } from '@sekimori/rules';

/**
 * What sekimori keeps of an alert it raised so that a review can name only its alertId: the
 * alert's event, subject, rule and the list entry it matched (docs/reviews.md).
 */
export interface AlertRecord {
  alertId: string;
  eventId: string;
  eventType: Decision['eventType'];
  subjectKey: string;
  ruleId: string;
  action: AlertAction;
  /** The first matched entry, when the alert cites a list (name, address, exposure source). */
  listId?: string;
  entityId?: string;
  /** The entry as it stood in that list version (names, aliases, addresses), hashed. */
  entryFingerprint?: string;
  /**
   * Every matched entry, with its fingerprint in the version matched ('' when unknown); for
   * INDIRECT_EXPOSURE each listed source, with its listed address.
   */
  entries?: Array<{ listId: string; entityId: string; fingerprint: string; address?: string }>;
  /** Address subjects: the listed or exposed address the alert was about. */
  address?: string;
  raisedAt: string;
}

/** A held event as the review store keeps it: what was published and the alerts it waits on. */
export interface HeldEvent {
  /** Every alert of the event: its action and rule. */
  alerts: AlertRecord[];
  /** The decision published last for it (not final). */
  decision: Decision;
}

/** One alert's outcome as applied to its event. */
export interface AppliedOutcome {
  alertId: string;
  reviewId: string;
  outcome: ReviewOutcome;
}

/** A review about to be applied, with the position that pins it (`topic:partition:offset`). */
export interface ReviewToApply {
  reviewId: string;
  alertId: string;
  eventId: string;
  outcome: ReviewOutcome;
  position: string;
}

export type ApplyResult =
  /** The same reviewId was applied before, from another message: nothing to do. */
  | { kind: 'duplicate' }
  /** The event's record has gone (past the review window). */
  | { kind: 'unknown' }
  /** The alert already has an outcome from another review. */
  | { kind: 'reviewed'; by: string }
  /**
   * Applied. `completes`: this review gave the event's last outcome; with it the event and every
   * outcome in applied order, to compute the final decision from.
   */
  | { kind: 'applied'; completes: boolean; event: HeldEvent | null; outcomes: AppliedOutcome[] };

/**
 * What the effects topic keeps of the review working set besides the standing effects, so that
 * a Redis that lost it can still take reviews of older alerts (docs/reviews.md, "After Redis is
 * lost"). Each sets its own fields of the event's record, so they rebuild in any order.
 */
export type HeldRecord =
  /** A screened event with alerts to review, as recordScreened kept it (the latest screening). */
  | { kind: 'held'; event: HeldEvent; at: string }
  /** One alert's outcome, in applied order `n`, and the message that applied it. */
  | {
      kind: 'outcome';
      eventId: string;
      alertId: string;
      reviewId: string;
      outcome: ReviewOutcome;
      n: number;
      position: string;
      at: string;
    }
  /** The event's final decision and the review that completed it. */
  | { kind: 'final'; eventId: string; finalBy: string; decision: Decision; at: string };

/** The compaction key of a held record: per event, and per alert for outcomes. */
export function heldRecordKeyOf(record: HeldRecord): string {
  switch (record.kind) {
    case 'held':
      return `event:${record.event.decision.eventId}:held`;
    case 'outcome':
      return `event:${record.eventId}:outcome:${record.alertId}`;
    case 'final':
      return `event:${record.eventId}:final`;
  }
}

/** Standing clearances by subject; the screening use case reads them, reviews write them. */
export interface ClearancesPort {
  /**
   * subjectKey -> its clearances (expired and revoked ones included: the alert says why they
   * lapsed, and a replay applies those in force at the event's time).
   */
  forSubjects(subjectKeys: readonly string[]): Promise<Map<string, Clearance[]>>;
  /** One clearance by id (expired ones included), or null when there is none or it was revoked. */
  clearance(clearanceId: string): Promise<Clearance | null>;
  /**
   * Keeps clearances; returns those kept. A clearance revoked before is never kept again (a
   * review applied again after a revocation must not bring it back).
   */
  put(clearances: readonly Clearance[]): Promise<Clearance[]>;
  /**
   * Revokes one for good at `revokedAt` (it is kept, marked, for replays of earlier events); the
   * clearance as it was, or null when there was none in force.
   */
  revoke(clearanceId: string, revokedAt: string): Promise<Clearance | null>;
}

/** Subjects frozen by confirmed reviews: accounts and addresses, by subject key. */
export interface FreezesPort {
  frozen(subjectKeys: readonly string[]): Promise<Map<string, FreezeRef>>;
  freeze(freeze: FreezeRef): Promise<void>;
  /** Lifts the freeze a confirmed review of `alertId` made; false when there was none. */
  release(subjectKey: string, alertId: string, releasedAt: string): Promise<boolean>;
  /** Every freeze each subject had, released ones with `releasedAt` (replays at the event's time). */
  history(subjectKeys: readonly string[]): Promise<Map<string, FreezeRecord[]>>;
}

/** A freeze as its history keeps it: released ones stay, with when. */
export type FreezeRecord = FreezeRef & { releasedAt?: string };

/** The review working set: alert records, held events, applied reviews and clearances (in Redis). */
export interface ReviewRecordsPort extends ClearancesPort, FreezesPort {
  /**
   * Keeps the alerts and decision of screened events (those with an alert to review), and
   * returns which of `eventIds` already have a final decision: those are never decided again.
   */
  recordScreened(events: readonly HeldEvent[], eventIds: readonly string[]): Promise<Set<string>>;
  alert(alertId: string): Promise<AlertRecord | null>;
  /** The outcome an alert got, if any. */
  outcomeOf(alertId: string, eventId: string): Promise<AppliedOutcome | null>;
  /** Applies one outcome atomically: once per reviewId, once per alert, completing once. */
  apply(review: ReviewToApply): Promise<ApplyResult>;
  /** Keeps the final decision beside its event, for whoever asks later. */
  finalised(decision: Decision): Promise<void>;
}
