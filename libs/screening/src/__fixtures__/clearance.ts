import type { Clearance, ExposedNode } from '@sekimori/contracts';

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

/**
 * A node one hop from OFAC entry 34017 (Garantex) on Ethereum: the exposure an INDIRECT_EXPOSURE
 * alert and its clearance are about, from the listed `sourceAddress` in list version `listVersion`.
 */
export function exposedNodeFixture(
  address: string,
  { sourceAddress = '0xlisted', listVersion = 'v2' } = {},
): ExposedNode {
  return {
    side: 'from',
    chain: 'ethereum',
    address,
    path: {
      source: {
        chain: 'ethereum',
        address: sourceAddress,
        listId: 'ofac-sdn',
        listVersion,
        entityId: '34017',
        entityName: 'GARANTEX EUROPE OU',
        programs: ['CYBER2'],
      },
      hops: [],
      attributedAmount: '1',
      attributedJpy: null,
      share: '1',
    },
  };
}
