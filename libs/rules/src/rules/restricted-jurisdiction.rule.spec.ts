import { exchangeContext, onchainContext, EventPatch } from '../__fixtures__/contexts';
import { RulesConfig } from '../rules-config';
import { RestrictedJurisdictionRule } from './restricted-jurisdiction.rule';

const rule = new RestrictedJurisdictionRule();
const config = new RulesConfig();

describe('RestrictedJurisdictionRule', () => {
  const table: Array<[string, EventPatch, string[]]> = [
    // name, patch, fields expected in the reasons (empty: not raised)
    ['nothing restricted', {}, []],
    [
      'counterparty resident in RU',
      { counterparty: { residency: 'RU' } },
      ['counterparty.residency'],
    ],
    [
      'counterparty VASP in BY',
      { counterparty: { vaspCountry: 'BY' } },
      ['counterparty.vaspCountry'],
    ],
    ['session from KP', { ipCountry: 'KP' }, ['ipCountry']],
    [
      'counterparty resident in IR',
      { counterparty: { residency: 'IR' } },
      ['counterparty.residency'],
    ],
    [
      'counterparty VASP in SY',
      { counterparty: { vaspCountry: 'SY' } },
      ['counterparty.vaspCountry'],
    ],
    ['session from CU', { ipCountry: 'CU' }, ['ipCountry']],
    [
      'all three fields',
      { counterparty: { residency: 'RU', vaspCountry: 'RU' }, ipCountry: 'BY' },
      ['counterparty.residency', 'counterparty.vaspCountry', 'ipCountry'],
    ],
    ['account residency alone is not screened by this rule', { account: { residency: 'RU' } }, []],
    [
      'an unrestricted foreign country',
      { counterparty: { residency: 'US', vaspCountry: 'US' }, ipCountry: 'SG' },
      [],
    ],
    [
      'unhosted wallet of a restricted-country resident',
      { counterparty: { walletType: 'unhosted', vaspCountry: undefined, residency: 'KP' } },
      ['counterparty.residency'],
    ],
  ];

  it.each(table)('%s', (_name, patch, fields) => {
    const found = rule.evaluate(exchangeContext(patch), config);
    if (fields.length === 0) {
      expect(found).toBeNull();
      return;
    }
    expect(found?.severity).toBe('high');
    expect(found?.action).toBe('hold');
    const text = found?.reasons.join(' ') ?? '';
    for (const field of fields) expect(text).toContain(`(${field})`);
    const matched = ['counterparty.residency', 'counterparty.vaspCountry', 'ipCountry'].filter(
      (f) => text.includes(`(${f})`),
    );
    expect(matched).toEqual(fields);
  });

  it('uses the configured set', () => {
    const custom = new RulesConfig();
    custom.restrictedCountries = ['US'];
    expect(rule.evaluate(exchangeContext({ ipCountry: 'US' }), custom)).not.toBeNull();
    expect(rule.evaluate(exchangeContext({ ipCountry: 'RU' }), custom)).toBeNull();
  });

  it('never applies to on-chain events', () => {
    expect(rule.evaluate(onchainContext(), config)).toBeNull();
  });
});
