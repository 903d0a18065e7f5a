import type { Clearance, Decision } from '@sekimori/contracts';
import type { FreezeRef } from '@sekimori/rules';
import type {
  AlertRecord,
  AppliedOutcome,
  ApplyResult,
  FreezeRecord,
  HeldEvent,
  ReviewRecordsPort,
  ReviewToApply,
} from '../reviews/review-records.port';

interface EventState {
  held: HeldEvent;
  outcomes: AppliedOutcome[];
  finalBy?: string;
  final?: Decision;
}

/**
 * An in-memory stand-in for the Redis review store, for the use case's unit tests: the same
 * promises (a reviewId applied once per position, one outcome per alert, one completing review).
 * The Redis store itself is tested on the real Redis (test/reviews).
 */
export class InMemoryReviews implements ReviewRecordsPort {
  readonly alerts = new Map<string, AlertRecord>();
  readonly events = new Map<string, EventState>();
  readonly applied = new Map<string, string>();
  readonly clearances = new Map<string, Clearance>();
  readonly freezes = new Map<string, FreezeRef>();
  readonly freezeHistory: FreezeRecord[] = [];
  readonly revoked = new Set<string>();

  async frozen(subjectKeys: readonly string[]) {
    return new Map(
      subjectKeys.flatMap((s) => {
        const f = this.freezes.get(s);
        return f === undefined ? [] : [[s, f] as const];
      }),
    );
  }

  async freeze(freeze: FreezeRef) {
    this.freezes.set(freeze.subjectKey, freeze);
    if (!this.freezeHistory.some((f) => f.alertId === freeze.alertId)) {
      this.freezeHistory.push({ ...freeze });
    }
  }

  async release(subjectKey: string, alertId: string, releasedAt: string) {
    const kept = this.freezeHistory.find(
      (f) => f.alertId === alertId && f.releasedAt === undefined,
    );
    if (kept !== undefined) kept.releasedAt = releasedAt;
    if (this.freezes.get(subjectKey)?.alertId !== alertId) return false;
    return this.freezes.delete(subjectKey);
  }

  async history(subjectKeys: readonly string[]) {
    const found = new Map<string, FreezeRecord[]>();
    for (const f of this.freezeHistory) {
      if (subjectKeys.includes(f.subjectKey)) {
        found.set(f.subjectKey, [...(found.get(f.subjectKey) ?? []), f]);
      }
    }
    return found;
  }

  async forSubjects(subjectKeys: readonly string[]) {
    const found = new Map<string, Clearance[]>();
    for (const c of this.clearances.values()) {
      if (subjectKeys.includes(c.subjectKey)) {
        found.set(c.subjectKey, [...(found.get(c.subjectKey) ?? []), c]);
      }
    }
    return found;
  }

  async clearance(clearanceId: string) {
    const found = this.clearances.get(clearanceId);
    return found === undefined || found.revokedAt !== undefined ? null : found;
  }

  async put(clearances: readonly Clearance[]) {
    const kept = clearances.filter((c) => !this.revoked.has(c.clearanceId));
    for (const c of kept) this.clearances.set(c.clearanceId, c);
    return kept;
  }

  async revoke(clearanceId: string, revokedAt: string) {
    const found = await this.clearance(clearanceId);
    if (found !== null) this.clearances.set(clearanceId, { ...found, revokedAt });
    this.revoked.add(clearanceId);
    return found;
  }

  async recordScreened(events: readonly HeldEvent[], eventIds: readonly string[]) {
    const finals = new Set(eventIds.filter((id) => this.events.get(id)?.finalBy !== undefined));
    for (const held of events) {
      const id = held.decision.eventId;
      if (finals.has(id)) continue;
      for (const alert of held.alerts) this.alerts.set(alert.alertId, alert);
      const state = this.events.get(id);
      this.events.set(id, { held, outcomes: state?.outcomes ?? [] });
    }
    return finals;
  }

  async alert(alertId: string) {
    return this.alerts.get(alertId) ?? null;
  }

  async outcomeOf(alertId: string, eventId: string) {
    return this.events.get(eventId)?.outcomes.find((o) => o.alertId === alertId) ?? null;
  }

  async apply(review: ReviewToApply): Promise<ApplyResult> {
    const at = this.applied.get(review.reviewId);
    if (at !== undefined && at !== review.position) return { kind: 'duplicate' };
    const state = this.events.get(review.eventId);
    if (state === undefined) return { kind: 'unknown' };
    if (review.outcome !== 'released') {
      const earlier = state.outcomes.find((o) => o.alertId === review.alertId);
      if (earlier !== undefined && earlier.reviewId !== review.reviewId) {
        return { kind: 'reviewed', by: earlier.reviewId };
      }
      if (earlier === undefined) state.outcomes.push({ ...review });
    }
    this.applied.set(review.reviewId, review.position);
    const pending = state.held.alerts.filter((a) => a.action === 'hold' || a.action === 'review');
    const done = pending.every((a) => state.outcomes.some((o) => o.alertId === a.alertId));
    if (review.outcome !== 'released' && pending.length > 0 && done) {
      state.finalBy ??= review.reviewId;
    }
    return {
      kind: 'applied',
      completes: state.finalBy === review.reviewId,
      event: state.held,
      outcomes: state.outcomes.map(({ alertId, reviewId, outcome }) => ({
        alertId,
        reviewId,
        outcome,
      })),
    };
  }

  async finalised(decision: Decision) {
    const state = this.events.get(decision.eventId);
    if (state !== undefined) state.final = decision;
  }
}
