import { exchangeContext, match, onchainContext } from '../__fixtures__/contexts';
import { RulesConfig } from '../rules-config';
import { SanctionsAddressMatchRule } from './sanctions-address-match.rule';

const rule = new SanctionsAddressMatchRule();
const config = new RulesConfig();

describe('SanctionsAddressMatchRule', () => {
  it.each([
    ['on-chain event without matches', onchainContext(), false],
    ['exchange event without matches', exchangeContext(), false],
    ['on-chain event, receiving address listed', onchainContext({}, [match()]), true],
    [
      'exchange event, external wallet listed',
      exchangeContext({}, { matches: [match({ side: 'address', chain: 'bitcoin' })] }),
      true,
    ],
  ])('%s', (_name, ctx, raised) => {
    const found = rule.evaluate(ctx, config);
    expect(found !== null).toBe(raised);
    if (found) {
      expect(found.severity).toBe('critical');
      expect(found.action).toBe('block');
      expect(found.matches).toEqual(ctx.matches);
    }
  });

  it('names the entity, list, version and programmes and cites OFAC SDN', () => {
    const found = rule.evaluate(onchainContext({}, [match()]), config);
    expect(found?.reasons[0]).toBe(
      'The receiving address 0x2222222222222222222222222222222222222222 on ethereum is on sanctions list ofac-sdn (version 2026-03-01) as LAZARUS GROUP (entity 12345; programmes DPRK3, CYBER2).',
    );
    expect(found?.legalBasis[0]).toContain('OFAC Specially Designated Nationals');
  });

  it('one finding for several matches, one reason each, a stable subject', () => {
    const a = match({ address: '0xbbb', side: 'from' });
    const b = match({ address: '0xaaa', listId: 'jp-mof', entityName: 'X', programs: [] });
    const one = rule.evaluate(onchainContext({}, [a, b]), config);
    const other = rule.evaluate(onchainContext({}, [b, a]), config);
    expect(one?.reasons).toHaveLength(2);
    expect(one?.reasons[1]).toContain('no programme given');
    expect(one?.legalBasis.some((l) => l.includes('外為法, FEFTA'))).toBe(true);
    expect(one?.subject).toBe('ethereum:0xaaa,ethereum:0xbbb');
    expect(other?.subject).toBe(one?.subject);
  });

  it("cites FEFTA and MOF's programme and notice for jp-mof, the reason for an own list", () => {
    const mof = match({
      listId: 'jp-mof',
      entityId: '16-68',
      entityName: 'Lazarus Group / ラザルス・グループ',
      programs: ['16. 国際平和のための…（団体）', 'notice 2022-12-02 No. 68'],
    });
    const found = rule.evaluate(onchainContext({}, [mof]), config);
    expect(found?.reasons[0]).toContain(
      'as Lazarus Group / ラザルス・グループ (entity 16-68; programmes 16. 国際平和のための…（団体）, notice 2022-12-02 No. 68)',
    );
    expect(found?.legalBasis[0]).toMatch(
      /^Foreign Exchange and Foreign Trade Act \(外為法, FEFTA\)/,
    );
    const own = match({
      listId: 'desk-watch',
      entityId: 'C-7',
      programs: ['fraud report 2026-01'],
    });
    const ownFound = rule.evaluate(onchainContext({}, [own]), config);
    expect(ownFound?.reasons[0]).toContain('(entity C-7; reason fraud report 2026-01)');
    expect(ownFound?.legalBasis[0]).toContain("The exchange's own list desk-watch");
  });
});
