import type { Clearance } from '@sekimori/contracts';

/** A NAME_MATCH clearance of OFAC entry 25308 for `acct-1`, as the review specs use it. */
export function clearanceFixture(patch: Partial<Clearance> = {}): Clearance {
  return {
    clearanceId: 'c1',
    subjectKey: 'acct-1',
    ruleId: 'NAME_MATCH',
    listId: 'ofac-sdn',
    entityId: '25308',
    fingerprint: 'f2:1',
    reviewId: 'r1',
    alertId: 'a1',
    reviewer: 'officer-3',
    clearedAt: '2026-03-16T10:00:00Z',
    expiresAt: '2027-03-16T10:00:00Z',
    ...patch,
  };
}
