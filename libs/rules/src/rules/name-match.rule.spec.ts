import type { NameMatch } from '../context';
import { exchangeContext, onchainContext } from '../__fixtures__/contexts';
import { defaultRules } from '../default-rules';
import { RuleEngine } from '../rule-engine';
import { RulesConfig } from '../rules-config';
import { NameMatchRule } from './name-match.rule';

const rule = new NameMatchRule();
const config = new RulesConfig();

function nameMatch(patch: Partial<NameMatch> = {}): NameMatch {
  return {
    listId: 'ofac-sdn',
    listVersion: 'abcdef0123456789',
    entityId: '36025',
    entityName: 'GARANTEX EUROPE OU',
    programs: ['CYBER4', 'RUSSIA-EO14024'],
    listedName: 'GARANTEX EUROPE OU',
    nameType: 'primary',
    givenName: 'Garantex Europe OU',
    nameOf: 'counterparty',
    score: 1,
    method: 'exact',
    ...patch,
  };
}

describe('NameMatchRule', () => {
  it.each([
    ['exchange event without name matches', exchangeContext(), false],
    ['exchange event, nameMatches absent', { ...exchangeContext(), nameMatches: undefined }, false],
    [
      'exchange event whose counterparty name matched',
      { ...exchangeContext(), nameMatches: [nameMatch()] },
      true,
    ],
    [
      'on-chain event (no counterparty name), even if handed a match',
      { ...onchainContext(), nameMatches: [nameMatch()] },
      false,
    ],
  ])('%s', (_name, ctx, raised) => {
    const found = rule.evaluate(ctx, config);
    expect(found !== null).toBe(raised);
    if (found) {
      expect(found.ruleId).toBe('NAME_MATCH');
      expect(found.severity).toBe('high');
      expect(found.action).toBe('hold');
    }
  });

  it.each([
    [
      nameMatch(),
      "Counterparty's name matches OFAC SDN entry GARANTEX EUROPE OU exactly, score 1.00 (primary name, UID 36025; programmes CYBER4, RUSSIA-EO14024; list version abcdef0123456789).",
    ],
    [
      nameMatch({ listedName: 'Garantex', nameType: 'aka' }),
      "Counterparty's name matches OFAC SDN entry Garantex exactly, score 1.00 (alias of GARANTEX EUROPE OU, UID 36025; programmes CYBER4, RUSSIA-EO14024; list version abcdef0123456789).",
    ],
    [
      nameMatch({
        entityId: '25308',
        entityName: 'YAN, Xiaobing',
        listedName: 'YAN, Xiaobing',
        programs: ['SDNTK'],
        method: 'reordered',
      }),
      "Counterparty's name matches OFAC SDN entry YAN, Xiaobing with its words in another order, score 1.00 (primary name, UID 25308; programmes SDNTK; list version abcdef0123456789).",
    ],
    [
      nameMatch({
        entityId: '10001',
        entityName: 'CHEMEZOV, Sergei Viktorovich',
        listedName: 'CHEMEZOV, Sergei Viktorovich',
        programs: ['RUSSIA-EO14024'],
        nameOf: 'account',
        givenName: 'セルゲイ・チェメゾフ',
        score: 0.931,
        method: 'partial',
      }),
      "Account holder's name matches OFAC SDN entry CHEMEZOV, Sergei Viktorovich with a middle name or patronymic missing on one side, score 0.93 (primary name, UID 10001; programmes RUSSIA-EO14024; list version abcdef0123456789).",
    ],
    [
      nameMatch({ listId: 'jp-mof', nameType: 'fka', listedName: 'OLD NAME LLC', programs: [] }),
      "Counterparty's name matches Japan MOF asset-freeze list (外為法) entry OLD NAME LLC exactly, score 1.00 (former name of GARANTEX EUROPE OU, entry 36025; no programme given; list version abcdef0123456789).",
    ],
    [
      nameMatch({
        listId: 'jp-mof',
        entityId: '29-2',
        entityName: 'Sergey Lavrov / セルゲイ・ラヴロフ',
        listedName: 'セルゲイ・ラヴロフ',
        programs: [
          '29. 資産凍結等の措置の対象となるロシア連邦の団体及び個人（個人）',
          'notice 2022-03-01 No. 2',
        ],
      }),
      "Counterparty's name matches Japan MOF asset-freeze list (外為法) entry セルゲイ・ラヴロフ exactly, score 1.00 (primary name, entry 29-2; programmes 29. 資産凍結等の措置の対象となるロシア連邦の団体及び個人（個人）, notice 2022-03-01 No. 2; list version abcdef0123456789).",
    ],
    [
      nameMatch({ listId: 'desk-watch', entityId: 'C-7', programs: ['fraud report 2026-01'] }),
      "Counterparty's name matches own list desk-watch entry GARANTEX EUROPE OU exactly, score 1.00 (primary name, id C-7; reason fraud report 2026-01; list version abcdef0123456789).",
    ],
    [
      nameMatch({
        listId: 'un-consolidated',
        entityId: 'KPe.001',
        entityName: 'KOREA MINING DEVELOPMENT TRADING CORPORATION',
        listedName: 'KOMID',
        nameType: 'aka',
        programs: ['DPRK'],
      }),
      "Counterparty's name matches UN Security Council Consolidated List entry KOMID exactly, score 1.00 (alias of KOREA MINING DEVELOPMENT TRADING CORPORATION, reference KPe.001; programmes DPRK; list version abcdef0123456789).",
    ],
  ])('says which name matched which entry and how (%#)', (m, sentence) => {
    const found = rule.evaluate({ ...exchangeContext(), nameMatches: [m] }, config);
    expect(found?.reasons).toEqual([sentence]);
  });

  it('puts the entry and how it matched in matches, with empty chain and address: no address is listed', () => {
    const found = rule.evaluate({ ...exchangeContext(), nameMatches: [nameMatch()] }, config);
    expect(found?.matches).toEqual([
      {
        listId: 'ofac-sdn',
        listVersion: 'abcdef0123456789',
        entityId: '36025',
        entityName: 'GARANTEX EUROPE OU',
        programs: ['CYBER4', 'RUSSIA-EO14024'],
        chain: '',
        address: '',
        side: 'address',
        listedName: 'GARANTEX EUROPE OU',
        givenName: 'Garantex Europe OU',
        nameOf: 'counterparty',
        score: 1,
        method: 'exact',
      },
    ]);
    expect(found?.legalBasis[0]).toContain('OFAC FAQ 5');
    expect(found?.legalBasis).toEqual(
      expect.arrayContaining([expect.stringContaining('Act No. 28 of 2022')]),
    );
  });

  it("keeps the customer's wording of the name out of the reasons (it is in givenName)", () => {
    const m = nameMatch({ givenName: 'garantex, europe ou', method: 'reordered' });
    const found = rule.evaluate({ ...exchangeContext(), nameMatches: [m] }, config);
    expect(found?.reasons.join(' ')).not.toContain('garantex, europe ou');
    expect(found?.matches[0].givenName).toBe('garantex, europe ou');
  });

  it('one finding for several entries, a subject independent of their order', () => {
    const a = nameMatch();
    const b = nameMatch({ entityId: '99999', entityName: 'OTHER', listedName: 'OTHER NAME' });
    const one = rule.evaluate({ ...exchangeContext(), nameMatches: [a, b] }, config);
    const other = rule.evaluate({ ...exchangeContext(), nameMatches: [b, a] }, config);
    expect(one?.reasons).toHaveLength(2);
    expect(one?.subject).toBe('ofac-sdn:36025,ofac-sdn:99999');
    expect(other?.subject).toBe(one?.subject);
  });

  it('is not run when disabled by configuration', () => {
    const off = new RulesConfig();
    off.rules.NAME_MATCH.enabled = false;
    const ctx = { ...exchangeContext(), nameMatches: [nameMatch()] };
    expect(new RuleEngine(defaultRules(), config).evaluate(ctx).map((f) => f.ruleId)).toContain(
      'NAME_MATCH',
    );
    expect(new RuleEngine(defaultRules(), off).evaluate(ctx).map((f) => f.ruleId)).not.toContain(
      'NAME_MATCH',
    );
  });
});
