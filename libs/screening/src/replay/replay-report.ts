import type { Decision, DecisionOutcome, SuppressedMatch } from '@sekimori/contracts';

/** What an event was, or would now be, decided: the parts of a decision an audit compares. */
export interface DecisionSummary {
  decision: DecisionOutcome;
  ruleIds: string[];
  alertIds: string[];
  /** `listId:version,...` it was screened against ('' when it could not be screened). */
  listVersion: string;
  /** The dead-letter code, when the event could not be screened. */
  unscreenable?: string;
  screenedAt?: string;
}

/**
 * `same`: decision, rules and alerts as decided. `decision`: another outcome. `alerts`: the same
 * outcome for other alerts. `not-decided`: no decision on the decisions topic to compare with.
 */
export type ReplayKind = 'same' | 'decision' | 'alerts' | 'not-decided';

export interface Added<T> {
  added: T[];
  removed: T[];
}

export interface ReplayChanges {
  decision?: { from: DecisionOutcome; to: DecisionOutcome };
  ruleIds: Added<string>;
  alertIds: Added<string>;
}

/**
 * The reviews a replayed event was screened under: those in force at the event's time (`at`),
 * the matches their clearances suppressed and the freezes (review ids) that blocked it.
 */
export interface ReplayReviews {
  at: string;
  suppressed: SuppressedMatch[];
  frozenBy: string[];
}

export interface ReplayEntry {
  eventId: string | null;
  partition: number;
  offset: string;
  /** When the event was put on the topic. */
  timestamp: string;
  kind: ReplayKind;
  /** The live decision the event got (null: none found in the range read). */
  decided: DecisionSummary | null;
  /** Decisions a re-screen made later for it (`retroactive: true`), oldest first. */
  retroactive: DecisionSummary[];
  /** What it gets now against the chosen versions (null: no versions known to replay it with). */
  replayed: DecisionSummary | null;
  /** The clearances and freezes the replay applied, as in force at the event's time. */
  reviews?: ReplayReviews;
  changes?: ReplayChanges;
}

export interface ReplaySummary {
  events: number;
  same: number;
  different: number;
  notDecided: number;
  byKind: Partial<Record<ReplayKind, number>>;
  /** Decision changes, as `from→to`. */
  transitions: Record<string, number>;
}

export function summaryOfDecision(decision: Decision): DecisionSummary {
  return {
    decision: decision.decision,
    ruleIds: [...decision.ruleIds],
    alertIds: [...decision.alertIds],
    listVersion: decision.listVersion,
    ...(decision.unscreenable === undefined ? {} : { unscreenable: decision.unscreenable }),
    screenedAt: decision.screenedAt,
  };
}

function difference(before: readonly string[], after: readonly string[]): Added<string> {
  const had = new Set(before);
  const has = new Set(after);
  return {
    added: after.filter((id) => !had.has(id)),
    removed: before.filter((id) => !has.has(id)),
  };
}

/** How a replayed decision differs from the decided one, and which kind of difference it is. */
export function compareDecisions(
  decided: DecisionSummary | null,
  replayed: DecisionSummary | null,
): { kind: ReplayKind; changes?: ReplayChanges } {
  if (decided === null || replayed === null) return { kind: 'not-decided' };
  const ruleIds = difference(decided.ruleIds, replayed.ruleIds);
  const alertIds = difference(decided.alertIds, replayed.alertIds);
  const sameAlerts =
    ruleIds.added.length +
      ruleIds.removed.length +
      alertIds.added.length +
      alertIds.removed.length ===
    0;
  if (decided.decision !== replayed.decision) {
    return {
      kind: 'decision',
      changes: { decision: { from: decided.decision, to: replayed.decision }, ruleIds, alertIds },
    };
  }
  return sameAlerts ? { kind: 'same' } : { kind: 'alerts', changes: { ruleIds, alertIds } };
}

export function summarise(entries: readonly ReplayEntry[]): ReplaySummary {
  const summary: ReplaySummary = {
    events: entries.length,
    same: 0,
    different: 0,
    notDecided: 0,
    byKind: {},
    transitions: {},
  };
  for (const entry of entries) {
    summary.byKind[entry.kind] = (summary.byKind[entry.kind] ?? 0) + 1;
    if (entry.kind === 'same') summary.same += 1;
    else if (entry.kind === 'not-decided') summary.notDecided += 1;
    else summary.different += 1;
    const change = entry.changes?.decision;
    if (change) {
      const key = `${change.from}→${change.to}`;
      summary.transitions[key] = (summary.transitions[key] ?? 0) + 1;
    }
  }
  return summary;
}
