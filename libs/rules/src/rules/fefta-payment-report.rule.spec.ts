import {
  exchangeContext,
  FOREIGN,
  onchainContext,
  UNKNOWN_LOCATION,
  EventPatch,
} from '../__fixtures__/contexts';
import { RulesConfig } from '../rules-config';
import { FeftaPaymentReportRule } from './fefta-payment-report.rule';

const rule = new FeftaPaymentReportRule();
const config = new RulesConfig();
const internalNonResident: EventPatch = {
  direction: 'internal',
  address: undefined,
  counterparty: { vaspCountry: undefined, residency: 'US' },
};

describe('FeftaPaymentReportRule', () => {
  const table: Array<[string, EventPatch, string | null, string | null]> = [
    // name, event patch (value via valueJpy unless undefined), rate, expected action or null
    [
      'cross-border, exactly ¥30,000,000: no report',
      { ...FOREIGN, valueJpy: '30000000' },
      null,
      null,
    ],
    [
      'cross-border, ¥30,000,000.00 written with a fraction: no report',
      { ...FOREIGN, valueJpy: '30000000.00' },
      null,
      null,
    ],
    [
      'cross-border, ¥30,000,000.01: report',
      { ...FOREIGN, valueJpy: '30000000.01' },
      null,
      'report',
    ],
    [
      'cross-border, ¥29,999,999.99: no report',
      { ...FOREIGN, valueJpy: '29999999.99' },
      null,
      null,
    ],
    ['cross-border, ¥500,000,000: report', { ...FOREIGN, valueJpy: '500000000' }, null, 'report'],
    ['domestic, ¥500,000,000: no report', { valueJpy: '500000000' }, null, null],
    [
      'unknown location, ¥30,000,000.01: review',
      { ...UNKNOWN_LOCATION, valueJpy: '30000000.01' },
      null,
      'review',
    ],
    [
      'unknown location, exactly ¥30,000,000: nothing',
      { ...UNKNOWN_LOCATION, valueJpy: '30000000' },
      null,
      null,
    ],
    [
      'internal resident → non-resident over the threshold: report',
      { ...internalNonResident, valueJpy: '31000000' },
      null,
      'report',
    ],
    [
      'foreign VASP with a resident counterparty over the threshold: report',
      { counterparty: { vaspCountry: 'SG', residency: 'JP' }, valueJpy: '40000000' },
      null,
      'report',
    ],
    [
      'deposit from a foreign VASP over the threshold: report',
      { ...FOREIGN, direction: 'deposit', valueJpy: '40000000' },
      null,
      'report',
    ],
    [
      'value from a rate just over: 2 BTC × ¥15,000,000.005',
      { ...FOREIGN, valueJpy: undefined, amount: '2' },
      '15000000.005',
      'report',
    ],
    [
      'value from a rate exactly at: 2 BTC × ¥15,000,000',
      { ...FOREIGN, valueJpy: undefined, amount: '2' },
      '15000000',
      null,
    ],
    [
      'no value and no rate: left to VALUATION_MISSING',
      { ...FOREIGN, valueJpy: undefined },
      null,
      null,
    ],
  ];

  it.each(table)('%s', (_name, patch, rate, action) => {
    const found = rule.evaluate(exchangeContext(patch, { rateJpy: rate }), config);
    if (action === null) {
      expect(found).toBeNull();
      return;
    }
    expect(found).not.toBeNull();
    expect(found?.ruleId).toBe('FEFTA_PAYMENT_REPORT');
    expect(found?.severity).toBe('medium');
    expect(found?.action).toBe(action);
  });

  it('never applies to on-chain events', () => {
    expect(rule.evaluate(onchainContext({ valueJpy: '900000000' }), config)).toBeNull();
  });

  it('explains itself with the value, its source, the threshold and the countries', () => {
    const found = rule.evaluate(
      exchangeContext({ ...FOREIGN, valueJpy: undefined, amount: '2' }, { rateJpy: '20000000' }),
      config,
    );
    const text = found?.reasons.join(' ') ?? '';
    expect(text).toContain('¥40,000,000');
    expect(text).toContain('2 BTC × the latest rate of ¥20,000,000 per BTC');
    expect(text).toContain('threshold of ¥30,000,000');
    expect(text).toContain('Origin JP, destination SG.');
    expect(found?.legalBasis.join(' ')).toContain('Article 55');
  });

  it('names an internal transfer as such', () => {
    const found = rule.evaluate(
      exchangeContext({ ...internalNonResident, valueJpy: '31000000' }),
      config,
    );
    expect(found?.reasons[0]).toMatch(/^Internal transfer of /);
  });

  it('uses the configured threshold and unknown-location action', () => {
    const custom = new RulesConfig();
    custom.reportThresholdJpy = '1000000';
    custom.rules.FEFTA_PAYMENT_REPORT.unknownLocationAction = 'hold';
    expect(
      rule.evaluate(exchangeContext({ ...UNKNOWN_LOCATION, valueJpy: '1000001' }), custom)?.action,
    ).toBe('hold');
  });
});
