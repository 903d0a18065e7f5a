import { createHash } from 'node:crypto';
import {
  type Clearance,
  type DeadLetterCode,
  type Decision,
  type Review,
  RuleId,
} from '@sekimori/contracts';
import type { FreezeRef } from '@sekimori/rules';
import { finalDecisionOf } from './final-decision';
import type {
  AlertRecord,
  AppliedOutcome,
  HeldRecord,
  ReviewRecordsPort,
} from './review-records.port';

/** A review that cannot apply, with the dead-letter code that says why (and the HTTP status). */
export interface ReviewRefusal {
  code: DeadLetterCode;
  detail: string;
}

export type ReviewCheck = { ok: true; alert: AlertRecord } | ({ ok: false } & ReviewRefusal);

/** What an applied review leaves standing, as the effects topic records it. */
export type ReviewEffect =
  | { kind: 'clearance'; clearance: Clearance }
  | { kind: 'freeze'; freeze: FreezeRef }
  /** `freeze`: the freeze lifted, so that a compacted topic still knows when it stood. */
  | {
      kind: 'release';
      subjectKey: string;
      alertId: string;
      releasedAt?: string;
      freeze?: FreezeRef;
    }
  /** `clearance`: the one revoked, for the same reason. */
  | { kind: 'revoke'; clearanceId: string; revokedAt?: string; clearance?: Clearance };

/**
 * The compaction key of an effect: the clearance, or the freeze (subject and the confirmed
 * alert that froze it), it is about. One key per freeze, not per subject: a subject frozen,
 * released and frozen again keeps both freezes on the compacted topic, so a replay of an event
 * from the first one still sees it. Records written under the older per-subject key
 * (`freeze:<subject>`) still rebuild: they are applied in offset order like the rest.
 */
export function effectKeyOf(effect: ReviewEffect): string {
  switch (effect.kind) {
    case 'clearance':
      return `clearance:${effect.clearance.clearanceId}`;
    case 'revoke':
      return `clearance:${effect.clearanceId}`;
    case 'freeze':
      return `freeze:${effect.freeze.subjectKey}:${effect.freeze.alertId}`;
    case 'release':
      return `freeze:${effect.subjectKey}:${effect.alertId}`;
  }
}

/**
 * Applies one effect to the working set (a review applied, a rebuild after Redis was lost).
 * False when it no longer stands: a clearance revoked since is not kept again.
 */
export async function applyEffect(
  records: ReviewRecordsPort,
  effect: ReviewEffect,
  /** When the effect was recorded: the time of a revocation or release recorded without one. */
  recordedAt = new Date().toISOString(),
): Promise<boolean> {
  switch (effect.kind) {
    case 'clearance':
      return (await records.put([effect.clearance])).length > 0;
    case 'revoke':
      // A compacted topic may hold the revocation alone: the clearance comes with it.
      if (effect.clearance !== undefined) await records.put([effect.clearance]);
      await records.revoke(effect.clearanceId, effect.revokedAt ?? recordedAt);
      return true;
    case 'freeze':
      await records.freeze(effect.freeze);
      return true;
    case 'release':
      if (effect.freeze !== undefined) await records.freeze(effect.freeze);
      await records.release(effect.subjectKey, effect.alertId, effect.releasedAt ?? recordedAt);
      return true;
  }
}

export type ReviewVerdict =
  | {
      kind: 'applied';
      review: Review;
      alert: AlertRecord;
      final: Decision | null;
      effects: ReviewEffect[];
      /** The outcome and final decision as the effects topic keeps them for a rebuild. */
      records: HeldRecord[];
    }
  | { kind: 'duplicate'; review: Review }
  | ({ kind: 'refused'; review: Review } & ReviewRefusal);

/** An address on a list is the list's own word, and a freeze is lifted only by `released`. */
const NEVER_CLEARED = new Set<string>([RuleId.SANCTIONS_ADDRESS_MATCH, RuleId.CONFIRMED_MATCH]);

/** The rules whose `cleared` outcome stands for later transfers (contract, "review"). */
const CLEARABLE = new Set<string>([RuleId.NAME_MATCH, RuleId.INDIRECT_EXPOSURE]);
const DAY_MS = 86_400_000;

/** Deterministic, so that a review applied again (a retried batch) writes the same clearance. */
function clearanceIdOf(
  reviewId: string,
  listId: string,
  entityId: string,
  address?: string,
): string {
  const source = address === undefined ? '' : `\u0000${address}`;
  return createHash('sha256')
    .update(`${reviewId}\u0000${listId}\u0000${entityId}${source}`)
    .digest('hex')
    .slice(0, 32);
}

/** The clearances a `cleared` review of a NAME_MATCH or INDIRECT_EXPOSURE alert stands for. */
export function clearancesOf(review: Review, alert: AlertRecord, ttlDays: number): Clearance[] {
  if (review.outcome !== 'cleared' || !CLEARABLE.has(alert.ruleId)) return [];
  const expiresAt =
    review.expiresAt ?? new Date(Date.parse(review.reviewedAt) + ttlDays * DAY_MS).toISOString();
  return (alert.entries ?? []).map((entry) => ({
    clearanceId: clearanceIdOf(review.reviewId, entry.listId, entry.entityId, entry.address),
    subjectKey: alert.subjectKey,
    ruleId: alert.ruleId,
    listId: entry.listId,
    entityId: entry.entityId,
    ...(entry.address === undefined ? {} : { address: entry.address }),
    fingerprint: entry.fingerprint,
    reviewId: review.reviewId,
    alertId: alert.alertId,
    reviewer: review.reviewer,
    clearedAt: review.reviewedAt,
    expiresAt,
  }));
}

/** The outcome a review gave its alert, as a rebuild puts it back (a release records none). */
function outcomeRecords(
  review: Review,
  alert: AlertRecord,
  outcomes: readonly AppliedOutcome[],
  position: string,
  at: string,
): HeldRecord[] {
  const n = outcomes.findIndex((o) => o.alertId === alert.alertId) + 1;
  const own = outcomes[n - 1];
  if (n === 0 || own.reviewId !== review.reviewId) return [];
  return [
    {
      kind: 'outcome',
      eventId: alert.eventId,
      alertId: alert.alertId,
      reviewId: review.reviewId,
      outcome: own.outcome,
      n,
      position,
      at,
    },
  ];
}

const refuse = (code: DeadLetterCode, detail: string): ReviewCheck => ({ ok: false, code, detail });

/**
 * The review use case: a review names an alert sekimori raised; its outcome is checked against
 * the alert's rule, applied once, and the review that gives a held event its last outcome
 * produces the event's final decision (docs/reviews.md).
 */
export class ApplyReviews {
  constructor(
    private readonly records: ReviewRecordsPort,
    private readonly now: () => Date = () => new Date(),
    /** CLEARANCE_TTL_DAYS: how long a clearance lasts when its review gives no expiresAt. */
    private readonly clearanceTtlDays = 365,
  ) {}

  /** Whether a review can apply now: what the HTTP API answers before producing it. */
  async check(review: Review): Promise<ReviewCheck> {
    const alert = await this.records.alert(review.alertId);
    if (alert === null) {
      return refuse(
        'UNKNOWN_ALERT',
        `alert ${review.alertId} is unknown or older than the review window`,
      );
    }
    if (review.expiresAt !== undefined && review.outcome !== 'cleared') {
      return refuse('OUTCOME_NOT_ALLOWED', 'expiresAt is for cleared outcomes only');
    }
    if (review.outcome === 'cleared' && NEVER_CLEARED.has(alert.ruleId)) {
      return refuse('OUTCOME_NOT_ALLOWED', `a ${alert.ruleId} alert cannot be cleared`);
    }
    if (review.outcome === 'confirmed' && alert.ruleId === RuleId.CONFIRMED_MATCH) {
      return refuse('OUTCOME_NOT_ALLOWED', 'a CONFIRMED_MATCH alert is already a confirmed match');
    }
    if (review.outcome === 'released') {
      const earlier = await this.records.outcomeOf(alert.alertId, alert.eventId);
      if (earlier?.outcome !== 'confirmed') {
        return refuse(
          'OUTCOME_NOT_ALLOWED',
          `alert ${alert.alertId} was not confirmed: nothing to release`,
        );
      }
    }
    return { ok: true, alert };
  }

  /**
   * What an applied review leaves standing: clearances, a freeze, or a freeze lifted. Applied to
   * Redis here and recorded on the effects topic in the review's transaction: the review's offset
   * is committed only with them, so a failure applies the review again. A clearance revoked in
   * between (over HTTP, recorded first) is neither kept nor recorded again.
   */
  private async standing(review: Review, alert: AlertRecord): Promise<ReviewEffect[]> {
    const candidates: ReviewEffect[] = clearancesOf(review, alert, this.clearanceTtlDays).map(
      (clearance) => ({ kind: 'clearance', clearance }),
    );
    if (review.outcome === 'confirmed') {
      const freeze: FreezeRef = {
        subjectKey: alert.subjectKey,
        reviewId: review.reviewId,
        alertId: alert.alertId,
        reviewer: review.reviewer,
        confirmedAt: review.reviewedAt,
      };
      candidates.push({ kind: 'freeze', freeze });
    } else if (review.outcome === 'released') {
      const lifted = (await this.records.frozen([alert.subjectKey])).get(alert.subjectKey);
      candidates.push({
        kind: 'release',
        subjectKey: alert.subjectKey,
        alertId: alert.alertId,
        releasedAt: review.reviewedAt,
        ...(lifted?.alertId === alert.alertId ? { freeze: lifted } : {}),
      });
    }
    const effects: ReviewEffect[] = [];
    for (const effect of candidates) {
      if (await applyEffect(this.records, effect)) effects.push(effect);
    }
    return effects;
  }

  /** Applies a review read at `position` (`topic:partition:offset`): the same answer on a retry. */
  async apply(review: Review, position: string): Promise<ReviewVerdict> {
    const checked = await this.check(review);
    if (!checked.ok) return { kind: 'refused', review, code: checked.code, detail: checked.detail };
    const { alert } = checked;
    const result = await this.records.apply({
      reviewId: review.reviewId,
      alertId: alert.alertId,
      eventId: alert.eventId,
      outcome: review.outcome,
      position,
    });
    switch (result.kind) {
      case 'duplicate':
        return { kind: 'duplicate', review };
      case 'unknown':
        return {
          kind: 'refused',
          review,
          code: 'UNKNOWN_ALERT',
          detail: `the event of alert ${alert.alertId} is older than the review window`,
        };
      case 'reviewed':
        return {
          kind: 'refused',
          review,
          code: 'ALREADY_REVIEWED',
          detail: `alert ${alert.alertId} already has an outcome (review ${result.by})`,
        };
      case 'applied': {
        const effects = await this.standing(review, alert);
        const at = this.now().toISOString();
        const records = outcomeRecords(review, alert, result.outcomes, position, at);
        if (!result.completes || result.event === null) {
          return { kind: 'applied', review, alert, final: null, effects, records };
        }
        const final = finalDecisionOf(result.event, result.outcomes, at);
        await this.records.finalised(final);
        records.push({
          kind: 'final',
          eventId: alert.eventId,
          finalBy: review.reviewId,
          decision: final,
          at,
        });
        return { kind: 'applied', review, alert, final, effects, records };
      }
    }
  }
}
