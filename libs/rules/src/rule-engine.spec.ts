import { defaultRules } from './default-rules';
import { exchangeContext, FOREIGN, match, onchainContext } from './__fixtures__/contexts';
import { RuleEngine } from './rule-engine';
import { RulesConfig } from './rules-config';
import { SanctionsAddressMatchRule } from './rules/sanctions-address-match.rule';

describe('RuleEngine', () => {
  const engine = new RuleEngine(defaultRules(), new RulesConfig());

  it('a clean domestic transfer raises nothing', () => {
    expect(engine.evaluate(exchangeContext())).toEqual([]);
  });

  it('one event can raise several rules, in defaultRules order', () => {
    const ctx = exchangeContext(
      { counterparty: { vaspCountry: 'RU', residency: 'RU' }, valueJpy: '50000000' },
      { matches: [match({ side: 'address', chain: 'bitcoin' })] },
    );
    expect(engine.evaluate(ctx).map((f) => f.ruleId)).toEqual([
      'SANCTIONS_ADDRESS_MATCH',
      'RESTRICTED_JURISDICTION',
      'FEFTA_PAYMENT_REPORT',
    ]);
  });

  it('a cross-border transfer with no value raises only VALUATION_MISSING', () => {
    expect(
      engine.evaluate(exchangeContext({ ...FOREIGN, valueJpy: undefined })).map((f) => f.ruleId),
    ).toEqual(['VALUATION_MISSING']);
  });

  it('an on-chain event with no value and no match raises nothing', () => {
    expect(engine.evaluate(onchainContext())).toEqual([]);
  });

  it('skips disabled rules', () => {
    const config = new RulesConfig();
    config.rules.FEFTA_PAYMENT_REPORT.enabled = false;
    const quiet = new RuleEngine(defaultRules(), config);
    expect(quiet.evaluate(exchangeContext({ ...FOREIGN, valueJpy: '50000000' }))).toEqual([]);
  });

  it('refuses a rule registered twice', () => {
    expect(
      () =>
        new RuleEngine(
          [new SanctionsAddressMatchRule(), new SanctionsAddressMatchRule()],
          new RulesConfig(),
        ),
    ).toThrow('registered twice');
  });
});
