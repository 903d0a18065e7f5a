import { type Decision, type DecisionOutcome, moreSevere } from '@sekimori/contracts';
import type { AppliedOutcome, HeldEvent } from './review-records.port';

/**
 * The decision an event gets once each of its hold and review alerts has an outcome: the most
 * severe of what remains (cleared alerts drop out, a confirmed one blocks), `pass` when nothing
 * remains, with the reviews behind it and the decision it replaces.
 */
export function finalDecisionOf(
  held: HeldEvent,
  outcomes: readonly AppliedOutcome[],
  decidedAt: string,
): Decision {
  const outcomeOf = new Map(outcomes.map((o) => [o.alertId, o.outcome]));
  const remaining = held.alerts.filter((a) => outcomeOf.get(a.alertId) !== 'cleared');
  let decision: DecisionOutcome = 'pass';
  for (const alert of remaining) {
    const action = outcomeOf.get(alert.alertId) === 'confirmed' ? 'block' : alert.action;
    decision = moreSevere(action, decision);
  }
  const previous = held.decision;
  const final: Decision = {
    ...previous,
    decision,
    ruleIds: [...new Set(remaining.map((a) => a.ruleId))],
    alertIds: remaining.map((a) => a.alertId),
    screenedAt: decidedAt,
    final: true,
    reviewIds: outcomes.map((o) => o.reviewId),
    supersedes: {
      decision: previous.decision,
      alertIds: previous.alertIds,
      screenedAt: previous.screenedAt,
    },
  };
  return final;
}

/** The alerts of an event that wait for a person: `hold` and `review`. */
export function awaitsReview(action: string): boolean {
  return action === 'hold' || action === 'review';
}
