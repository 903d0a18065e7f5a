import {
  exchangeContext,
  FOREIGN,
  onchainContext,
  UNKNOWN_LOCATION,
  EventPatch,
} from '../__fixtures__/contexts';
import { RulesConfig } from '../rules-config';
import { ValuationMissingRule } from './valuation-missing.rule';

const rule = new ValuationMissingRule();
const config = new RulesConfig();

describe('ValuationMissingRule', () => {
  const table: Array<[string, EventPatch, string | null, boolean]> = [
    ['cross-border, no value, no rate: raised', { ...FOREIGN, valueJpy: undefined }, null, true],
    [
      'cross-border, no value but a rate: not raised',
      { ...FOREIGN, valueJpy: undefined },
      '15000000',
      false,
    ],
    ['cross-border, value on the event: not raised', { ...FOREIGN, valueJpy: '5' }, null, false],
    ['cross-border, value ¥0 on the event: not raised', { ...FOREIGN, valueJpy: '0' }, null, false],
    [
      'unknown location, no value, no rate: raised',
      { ...UNKNOWN_LOCATION, valueJpy: undefined },
      null,
      true,
    ],
    [
      'unknown location, no value but a rate: not raised',
      { ...UNKNOWN_LOCATION, valueJpy: undefined },
      '1',
      false,
    ],
    ['domestic, no value, no rate: not raised', { valueJpy: undefined }, null, false],
    [
      'internal resident → non-resident, no value, no rate: raised',
      {
        direction: 'internal',
        address: undefined,
        valueJpy: undefined,
        counterparty: { vaspCountry: undefined, residency: 'US' },
      },
      null,
      true,
    ],
  ];

  it.each(table)('%s', (_name, patch, rate, raised) => {
    const found = rule.evaluate(exchangeContext(patch, { rateJpy: rate }), config);
    expect(found !== null).toBe(raised);
    if (found) {
      expect(found.severity).toBe('low');
      expect(found.action).toBe('review');
      expect(found.reasons[0]).toContain('no rate for BTC');
    }
  });

  it('never applies to on-chain events (they would all lack a value)', () => {
    expect(rule.evaluate(onchainContext(), config)).toBeNull();
  });
});
