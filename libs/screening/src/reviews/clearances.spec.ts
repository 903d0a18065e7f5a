import type { Clearance, ExposedNode, NameMatch } from '@sekimori/contracts';
import { clearanceFixture, exposedNodeFixture } from '../__fixtures__/clearance';
import { applyExposureClearances, applyNameClearances, lapseOf } from './clearances';

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

const clearance = clearanceFixture;

const NOW = '2026-04-01T00:00:00Z';

describe('applyNameClearances', () => {
  it('suppresses a cleared entry while it is as it was cleared, once per clearance', () => {
    const result = applyNameClearances(
      [match('25308'), match('25308'), match('99')],
      [clearance()],
      () => 'f2:1',
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
      'f2:2',
      /was voided: the current version of list ofac-sdn changed entry 25308/,
    ],
    [
      'it expired',
      clearance({ expiresAt: '2026-03-31T00:00:00Z' }),
      'f2:1',
      /expired at 2026-03-31T00:00:00Z/,
    ],
    [
      'the current version no longer lists the entry',
      clearance(),
      '',
      /was voided: the current version of list ofac-sdn no longer lists entry 25308/,
    ],
    [
      'it was recorded under the formula before addresses counted',
      clearance({ fingerprint: '0123456789abcdef0123456789abcdef' }),
      // Whatever the current fingerprint: the old formula's is never compared with it.
      '0123456789abcdef0123456789abcdef',
      /was voided: it was recorded under an earlier fingerprint of list ofac-sdn entry 25308 \(before its listed addresses counted\)/,
    ],
    [
      'it was recorded without a fingerprint',
      clearance({ fingerprint: '' }),
      '',
      /was voided: it was recorded without a fingerprint of list ofac-sdn entry 25308/,
    ],
  ])('alerts again, saying why, when %s', (why, given, fingerprint, reason) => {
    const result = applyNameClearances([match('25308')], [given], () => fingerprint, NOW);
    expect(result.kept).toHaveLength(1);
    expect(result.suppressed).toEqual([]);
    expect(result.lapsed).toEqual([expect.stringMatching(reason)]);
    expect(lapseOf(result.lapsed[0])).toBe(/expired/.test(why) ? 'expired' : 'voided');
  });

  it('ignores clearances of another rule or list', () => {
    const others = [
      clearance({ ruleId: 'INDIRECT_EXPOSURE' }),
      clearance({ listId: 'un-consolidated' }),
    ];
    expect(applyNameClearances([match('25308')], others, () => 'f2:1', NOW).kept).toHaveLength(1);
  });
});

const exposure = (address: string, sourceAddress = '0xlisted'): ExposedNode =>
  exposedNodeFixture(address, { sourceAddress });

describe('applyExposureClearances', () => {
  const exposureClearance = (patch: Partial<Clearance> = {}) =>
    clearance({
      ruleId: 'INDIRECT_EXPOSURE',
      entityId: '34017',
      address: '0xlisted',
      subjectKey: '0xsubject',
      ...patch,
    });

  it('suppresses a raised exposure from the cleared source while the entry is as it was', () => {
    const cleared = exposure('0xa');
    const otherSource = exposure('0xb', '0xother');
    const notRaised = exposure('0xc');
    const result = applyExposureClearances(
      [cleared, otherSource, notRaised],
      new Set([cleared, otherSource]),
      [exposureClearance()],
      () => 'f2:1',
      NOW,
    );
    // Another listed address of the entry is another source; one the rule does not raise is
    // left to the rule as it is.
    expect(result.kept).toEqual([otherSource, notRaised]);
    expect(result.suppressed).toEqual([
      {
        clearanceId: 'c1',
        ruleId: 'INDIRECT_EXPOSURE',
        listId: 'ofac-sdn',
        entityId: '34017',
        reviewer: 'officer-3',
      },
    ]);
  });

  it('alerts again, saying why, when the listed entry changed; a name clearance does not count', () => {
    const x = exposure('0xa');
    const changed = applyExposureClearances(
      [x],
      new Set([x]),
      [exposureClearance()],
      () => 'f2:2',
      NOW,
    );
    expect(changed.kept).toEqual([x]);
    expect(changed.lapsed).toEqual([
      expect.stringMatching(/was voided: the current version of list ofac-sdn changed entry 34017/),
    ]);
    const byName = applyExposureClearances(
      [x],
      new Set([x]),
      [exposureClearance({ ruleId: 'NAME_MATCH' })],
      () => 'f2:1',
      NOW,
    );
    expect(byName).toEqual({ kept: [x], suppressed: [], lapsed: [] });
  });
});
