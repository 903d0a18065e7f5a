import type { Clearance } from '@sekimori/contracts';
import type { ReviewEffect } from './apply-reviews';
import type { ClearancesPort } from './review-records.port';

/** Puts an effect on the durable record (the compacted effects topic); throws when it could not. */
export type RecordEffect = (effect: ReviewEffect) => Promise<void>;

export type Revocation =
  /** No clearance has that id (never made, or revoked already). */
  | { kind: 'unknown' }
  /** Recorded and removed from the working set: its matches alert again. */
  | { kind: 'revoked'; clearance: Clearance }
  /**
   * Recorded, but Redis could not remove it yet: it may still suppress until the request is
   * sent again or Redis is rebuilt from the record (which applies the revocation).
   */
  | { kind: 'recorded'; clearance: Clearance; cause: unknown };

/**
 * Revokes a clearance, the durable record first: the revocation is on the effects topic before
 * Redis changes, so a rebuild after Redis is lost can never bring a revoked clearance back. When
 * the record cannot be written, `record` throws and the clearance stays as it is, in force.
 */
export async function revokeClearance(
  clearances: ClearancesPort,
  clearanceId: string,
  record: RecordEffect,
  revokedAt = new Date().toISOString(),
): Promise<Revocation> {
  const clearance = await clearances.clearance(clearanceId);
  if (clearance === null) return { kind: 'unknown' };
  await record({ kind: 'revoke', clearanceId, revokedAt, clearance });
  try {
    await clearances.revoke(clearanceId, revokedAt);
  } catch (cause) {
    return { kind: 'recorded', clearance, cause };
  }
  return { kind: 'revoked', clearance };
}
