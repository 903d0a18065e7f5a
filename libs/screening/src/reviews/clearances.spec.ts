import type { Clearance, NameMatch } from '@sekimori/contracts';
import { applyNameClearances } from './clearances';

const match = (entityId: string): NameMatch => ({
  listId: 'ofac-sdn',
  listVersion: 'v2',
  entityId,
  entityName: 'YAN, Xiaobing',
  programs: ['CYBER2'],
  listedName: 'YAN, Xiaobing',
  nameType: 'primary',
  givenName: 'Xiaobing Yan',
  nameOf: 'account',
  score: 1,
  method: 'reordered',
});

const clearance = (patch: Partial<Clearance> = {}): Clearance => ({
  clearanceId: 'c1',
  subjectKey: 'acct-1',
  ruleId: 'NAME_MATCH',
  listId: 'ofac-sdn',
  entityId: '25308',
  fingerprint: 'fp-1',
  reviewId: 'r1',
  alertId: 'a1',
  reviewer: 'officer-3',
  clearedAt: '2026-03-16T10:00:00Z',
  expiresAt: '2027-03-16T10:00:00Z',
  ...patch,
});

const NOW = '2026-04-01T00:00:00Z';

describe('applyNameClearances', () => {
  it('suppresses a cleared entry while it is as it was cleared, once per clearance', () => {
    const result = applyNameClearances(
      [match('25308'), match('25308'), match('99')],
      [clearance()],
      () => 'fp-1',
      NOW,
    );
    expect(result.kept.map((m) => m.entityId)).toEqual(['99']);
    expect(result.suppressed).toEqual([
      {
        clearanceId: 'c1',
        ruleId: 'NAME_MATCH',
        listId: 'ofac-sdn',
        entityId: '25308',
        reviewer: 'officer-3',
      },
    ]);
    expect(result.lapsed).toEqual([]);
  });

  it.each([
    [
      'the entry changed',
      clearance(),
      'fp-2',
      /was voided: the current version of list ofac-sdn changed entry 25308/,
    ],
    [
      'it expired',
      clearance({ expiresAt: '2026-03-31T00:00:00Z' }),
      'fp-1',
      /expired at 2026-03-31T00:00:00Z/,
    ],
  ])('alerts again, saying why, when %s', (_why, given, fingerprint, reason) => {
    const result = applyNameClearances([match('25308')], [given], () => fingerprint, NOW);
    expect(result.kept).toHaveLength(1);
    expect(result.suppressed).toEqual([]);
    expect(result.lapsed).toEqual([expect.stringMatching(reason)]);
  });

  it('ignores clearances of another rule or list', () => {
    const others = [
      clearance({ ruleId: 'INDIRECT_EXPOSURE' }),
      clearance({ listId: 'un-consolidated' }),
    ];
    expect(applyNameClearances([match('25308')], others, () => 'fp-1', NOW).kept).toHaveLength(1);
  });
});
