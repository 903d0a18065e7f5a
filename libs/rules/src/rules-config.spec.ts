import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RulesConfig, RulesConfigError, validateRulesConfig } from './rules-config';

const defaultsFile = join(__dirname, '../../../config/rules.default.json');

function fieldOf(plain: unknown): string {
  try {
    validateRulesConfig(plain);
  } catch (error) {
    expect(error).toBeInstanceOf(RulesConfigError);
    expect((error as Error).message).toContain((error as RulesConfigError).field);
    return (error as RulesConfigError).field;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('RulesConfig', () => {
  it('defaults are the contract table', () => {
    const config = new RulesConfig();
    expect(config.reportThresholdJpy).toBe('30000000');
    expect(config.structuringWindowDays).toBe(7);
    expect(config.restrictedCountries).toEqual(['RU', 'BY', 'KP', 'IR', 'SY', 'CU']);
    expect(config.rules.SANCTIONS_ADDRESS_MATCH).toMatchObject({
      severity: 'critical',
      action: 'block',
    });
    expect(config.rules.RESTRICTED_JURISDICTION).toMatchObject({
      severity: 'high',
      action: 'hold',
    });
    expect(config.rules.FEFTA_PAYMENT_REPORT).toMatchObject({
      severity: 'medium',
      action: 'report',
      unknownLocationAction: 'review',
    });
    expect(config.rules.STRUCTURING).toMatchObject({ severity: 'high', action: 'review' });
    expect(config.rules.VALUATION_MISSING).toMatchObject({ severity: 'low', action: 'review' });
    expect(config.rules.THIRD_COUNTRY_ROUTING).toMatchObject({ severity: 'high', action: 'hold' });
    expect(config.exposureMaxHops).toBe(3);
    expect(config.routingWindowHours).toBe(72);
    expect([...config.thirdCountries].sort()).toEqual([
      'AE',
      'AM',
      'BR',
      'CN',
      'GE',
      'IL',
      'IN',
      'KG',
      'KZ',
      'MX',
      'NI',
      'RS',
      'SG',
      'TJ',
      'TR',
      'TW',
      'UZ',
      'ZA',
    ]);
  });

  it('config/rules.default.json is valid and equals the defaults in code', () => {
    const file: unknown = JSON.parse(readFileSync(defaultsFile, 'utf8'));
    const fromFile = validateRulesConfig(file);
    expect(JSON.parse(JSON.stringify(fromFile))).toEqual(
      JSON.parse(JSON.stringify(new RulesConfig())),
    );
    expect(file).toEqual(JSON.parse(JSON.stringify(new RulesConfig())));
  });

  it('an empty object or nothing gives the defaults', () => {
    expect(validateRulesConfig({})).toEqual(new RulesConfig());
    expect(validateRulesConfig(undefined)).toEqual(new RulesConfig());
  });

  it('a partial file changes only what it names', () => {
    const config = validateRulesConfig({
      rules: { STRUCTURING: { enabled: false } },
      structuringWindowDays: 14,
    });
    expect(config.rules.STRUCTURING).toMatchObject({
      enabled: false,
      severity: 'high',
      action: 'review',
    });
    expect(config.rules.FEFTA_PAYMENT_REPORT.action).toBe('report');
    expect(config.structuringWindowDays).toBe(14);
    expect(config.rules.STRUCTURING).toBeInstanceOf(Object);
  });

  it.each([
    [
      'a number for the threshold (money is a decimal string)',
      { reportThresholdJpy: 30000000 },
      'reportThresholdJpy',
    ],
    ['a negative threshold', { reportThresholdJpy: '-1' }, 'reportThresholdJpy'],
    ['a zero threshold', { reportThresholdJpy: '0' }, 'reportThresholdJpy'],
    ['a fractional window', { structuringWindowDays: 1.5 }, 'structuringWindowDays'],
    ['a zero window', { structuringWindowDays: 0 }, 'structuringWindowDays'],
    ['a lower-case country', { restrictedCountries: ['ru'] }, 'restrictedCountries'],
    ['a repeated country', { restrictedCountries: ['RU', 'RU'] }, 'restrictedCountries'],
    ['a bad home country', { homeCountry: 'Japan' }, 'homeCountry'],
    [
      'an unknown severity',
      { rules: { STRUCTURING: { severity: 'urgent' } } },
      'rules.STRUCTURING.severity',
    ],
    [
      'an unknown action',
      { rules: { VALUATION_MISSING: { action: 'ignore' } } },
      'rules.VALUATION_MISSING.action',
    ],
    [
      'enabled as a string',
      { rules: { NAME_MATCH: { enabled: 'yes' } } },
      'rules.NAME_MATCH.enabled',
    ],
    [
      'a bad unknown-location action',
      { rules: { FEFTA_PAYMENT_REPORT: { unknownLocationAction: 'later' } } },
      'rules.FEFTA_PAYMENT_REPORT.unknownLocationAction',
    ],
    ['an unknown rule', { rules: { MADE_UP: { enabled: true } } }, 'rules.MADE_UP'],
    ['an unknown top-level key', { thresholdJpy: '1' }, 'thresholdJpy'],
    ['ten hops', { exposureMaxHops: 10 }, 'exposureMaxHops'],
    ['zero hops', { exposureMaxHops: 0 }, 'exposureMaxHops'],
    ['a minimum yen as a number', { exposureMinJpy: 10000 }, 'exposureMinJpy'],
    ['a share over 1', { exposureMinShare: '1.5' }, 'exposureMinShare'],
    ['a zero routing share', { routingMinShare: '0' }, 'routingMinShare'],
    ['a routing share over 1', { routingMinShare: '2' }, 'routingMinShare'],
    ['a lower-case third country', { thirdCountries: ['sg'] }, 'thirdCountries'],
    [
      'a fan-out window longer than the routing window',
      { fanOutWindowHours: 96 },
      'fanOutWindowHours',
    ],
    ['a fan-out of one VASP', { fanOutMinVasps: 1 }, 'fanOutMinVasps'],
    ['a zero routing window', { routingWindowHours: 0 }, 'routingWindowHours'],
  ])('rejects %s, naming the field', (_name, plain, field) => {
    expect(fieldOf(plain)).toBe(field);
  });

  it('rejects a non-object', () => {
    expect(() => validateRulesConfig([])).toThrow('must be a JSON object');
  });
});
