import {
  type Clearance,
  type ExposedNode,
  type NameMatch,
  RuleId,
  type SuppressedMatch,
} from '@sekimori/contracts';
import { ENTRY_FINGERPRINT_FORMULA } from '@sekimori/name-matching';

/** What the clearances in force did to one event's name matches. */
export interface ClearedMatches {
  /** The matches left to alert on. */
  kept: NameMatch[];
  /** The matches a clearance silenced, once per clearance. */
  suppressed: SuppressedMatch[];
  /** Why a clearance of a kept match no longer counts: sentences for the alert's reasons. */
  lapsed: string[];
}

/** What the clearances in force did to one event's exposures (INDIRECT_EXPOSURE). */
export interface ClearedExposures {
  /** The exposures left to the rule. */
  kept: ExposedNode[];
  suppressed: SuppressedMatch[];
  lapsed: string[];
}

/** The fingerprint of a listed entry in the version that matched it. */
export type FingerprintOf = (listId: string, entityId: string) => string;

const EXPIRED = ' expired at ';
const VOIDED = ' was voided: ';
const FORMULA = `${ENTRY_FINGERPRINT_FORMULA}:`;

/** Why a clearance no longer silences its match, or null while it is in force. */
function lapse(clearance: Clearance, fingerprint: string, now: string): string | null {
  const who = `clearance ${clearance.clearanceId} (cleared by ${clearance.reviewer} on ${clearance.clearedAt}, review ${clearance.reviewId})`;
  const entry = `list ${clearance.listId} entry ${clearance.entityId}`;
  if (Date.parse(clearance.expiresAt) <= Date.parse(now)) {
    return `The ${who} of ${entry}${EXPIRED}${clearance.expiresAt}.`;
  }
  if (clearance.fingerprint === '') {
    return `The ${who}${VOIDED}it was recorded without a fingerprint of ${entry} (the version that raised the alert did not list it), so it cannot be compared with the current one; review the match again.`;
  }
  if (!clearance.fingerprint.startsWith(FORMULA)) {
    // Recorded before the fingerprint covered the entry's addresses: it cannot say whether the
    // entry changed since, so it counts as changed rather than as the same.
    return `The ${who}${VOIDED}it was recorded under an earlier fingerprint of ${entry} (before its listed addresses counted), which cannot be compared with the current one; review the match again.`;
  }
  if (fingerprint === '') {
    return `The ${who}${VOIDED}the current version of list ${clearance.listId} no longer lists entry ${clearance.entityId}.`;
  }
  if (clearance.fingerprint !== fingerprint) {
    return `The ${who}${VOIDED}the current version of list ${clearance.listId} changed entry ${clearance.entityId} (its names, aliases, addresses or programmes) since it was cleared.`;
  }
  return null;
}

/** Which lapse an alert reason tells of (for metrics), or null when it tells of none. */
export function lapseOf(reason: string): 'expired' | 'voided' | null {
  if (!reason.startsWith('The clearance ')) return null;
  if (reason.includes(VOIDED)) return 'voided';
  return reason.includes(EXPIRED) ? 'expired' : null;
}

function suppressedBy(clearance: Clearance): SuppressedMatch {
  return {
    clearanceId: clearance.clearanceId,
    ruleId: clearance.ruleId,
    listId: clearance.listId,
    entityId: clearance.entityId,
    reviewer: clearance.reviewer,
  };
}

/**
 * Sorts items under the clearances that cover them: an item whose clearance is in force is
 * suppressed (once per clearance), any other is kept, with the reason its clearance lapsed.
 */
function sortUnder<T>(
  items: readonly T[],
  clearanceOf: (item: T) => Clearance | undefined,
  fingerprintOf: (clearance: Clearance) => string,
  now: string,
): { kept: T[]; suppressed: SuppressedMatch[]; lapsed: string[] } {
  const result = { kept: [] as T[], suppressed: [] as SuppressedMatch[], lapsed: [] as string[] };
  const seen = new Set<string>();
  for (const item of items) {
    const clearance = clearanceOf(item);
    if (clearance === undefined) {
      result.kept.push(item);
      continue;
    }
    const why = lapse(clearance, fingerprintOf(clearance), now);
    const first = !seen.has(clearance.clearanceId);
    seen.add(clearance.clearanceId);
    if (why !== null) {
      result.kept.push(item);
      if (first) result.lapsed.push(why);
    } else if (first) {
      result.suppressed.push(suppressedBy(clearance));
    }
  }
  return result;
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
  const named = clearances.filter((c) => c.ruleId === RuleId.NAME_MATCH);
  return sortUnder(
    matches,
    (m) => named.find((c) => c.listId === m.listId && c.entityId === m.entityId),
    (c) => fingerprintOf(c.listId, c.entityId),
    now,
  );
}

/**
 * INDIRECT_EXPOSURE under the subject's clearances. A clearance covers the exposures whose
 * listed source is the one cleared: the same list entry and the same listed address, with the
 * entry as it stood when cleared. Only exposures the rule raises (`raised`) can be suppressed;
 * the others are left to the rule as they are.
 */
export function applyExposureClearances(
  exposures: readonly ExposedNode[],
  raised: ReadonlySet<ExposedNode>,
  clearances: readonly Clearance[],
  fingerprintOf: FingerprintOf,
  now: string,
): ClearedExposures {
  const exposed = clearances.filter((c) => c.ruleId === RuleId.INDIRECT_EXPOSURE);
  return sortUnder(
    exposures,
    (x) => {
      if (!raised.has(x)) return undefined;
      const source = x.path.source;
      return exposed.find(
        (c) =>
          c.listId === source.listId &&
          c.entityId === source.entityId &&
          c.address === source.address,
      );
    },
    (c) => fingerprintOf(c.listId, c.entityId),
    now,
  );
}
