import { type Clearance, type NameMatch, RuleId, type SuppressedMatch } from '@sekimori/contracts';

/** What the clearances in force did to one event's name matches. */
export interface ClearedMatches {
  /** The matches left to alert on. */
  kept: NameMatch[];
  /** The matches a clearance silenced, once per clearance. */
  suppressed: SuppressedMatch[];
  /** Why a clearance of a kept match no longer counts: sentences for the alert's reasons. */
  lapsed: string[];
}

/** The fingerprint of a listed entry in the version that matched it. */
export type FingerprintOf = (listId: string, entityId: string) => string;

const EXPIRED = ' expired at ';
const VOIDED = ' was voided: ';

/** Why a clearance no longer silences its match, or null while it is in force. */
function lapse(clearance: Clearance, fingerprint: string, now: string): string | null {
  const who = `clearance ${clearance.clearanceId} (cleared by ${clearance.reviewer} on ${clearance.clearedAt}, review ${clearance.reviewId})`;
  if (Date.parse(clearance.expiresAt) <= Date.parse(now)) {
    return `The ${who} of list ${clearance.listId} entry ${clearance.entityId}${EXPIRED}${clearance.expiresAt}.`;
  }
  if (clearance.fingerprint !== fingerprint) {
    return `The ${who}${VOIDED}the current version of list ${clearance.listId} changed entry ${clearance.entityId} (its names, aliases or programmes) since it was cleared.`;
  }
  return null;
}

/** Which lapse an alert reason tells of (for metrics), or null when it tells of none. */
export function lapseOf(reason: string): 'expired' | 'voided' | null {
  if (!reason.startsWith('The clearance ')) return null;
  if (reason.includes(VOIDED)) return 'voided';
  return reason.includes(EXPIRED) ? 'expired' : null;
}

/**
 * NAME_MATCH under the subject's clearances: a match of a cleared entry is suppressed while the
 * clearance is in force (not expired, the entry as it was cleared); otherwise it alerts, and
 * the alert says why the clearance lapsed.
 */
export function applyNameClearances(
  matches: readonly NameMatch[],
  clearances: readonly Clearance[],
  fingerprintOf: FingerprintOf,
  now: string,
): ClearedMatches {
  const result: ClearedMatches = { kept: [], suppressed: [], lapsed: [] };
  const seen = new Set<string>();
  for (const match of matches) {
    const clearance = clearances.find(
      (c) =>
        c.ruleId === RuleId.NAME_MATCH &&
        c.listId === match.listId &&
        c.entityId === match.entityId,
    );
    const why =
      clearance === undefined
        ? null
        : lapse(clearance, fingerprintOf(match.listId, match.entityId), now);
    if (clearance === undefined || why !== null) {
      result.kept.push(match);
      if (why !== null && !seen.has(clearance!.clearanceId)) result.lapsed.push(why);
    } else if (!seen.has(clearance.clearanceId)) {
      result.suppressed.push({
        clearanceId: clearance.clearanceId,
        ruleId: clearance.ruleId,
        listId: clearance.listId,
        entityId: clearance.entityId,
        reviewer: clearance.reviewer,
      });
    }
    if (clearance !== undefined) seen.add(clearance.clearanceId);
  }
  return result;
}
