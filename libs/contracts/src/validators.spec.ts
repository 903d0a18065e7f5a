import { isCalendarDate, isCountry, isKanaReading, isZonedTime } from './validators';

describe('isZonedTime', () => {
  it.each([
    '2026-03-15T09:30:00Z',
    '2026-03-15T09:30:00+09:00',
    '2026-03-15T09:30:00-0530',
    '2026-03-15T09:30Z',
    '2026-03-15T09:30:00.123456789Z',
    '2024-02-29T12:00:00Z', // leap year
    '2000-02-29T12:00:00Z', // divisible by 400: leap
    '2026-01-31T00:00:00Z',
    '2026-04-30T23:59:59Z',
    '2026-12-31T23:59:59.999+14:00',
    '2026-03-15T00:00:00Z',
  ])('accepts %s', (time) => {
    expect(isZonedTime(time)).toBe(true);
  });

  it.each([
    ['30 February', '2026-02-30T00:00:00Z'],
    ['29 February of a common year', '2026-02-29T00:00:00Z'],
    ['29 February of a century not divisible by 400', '1900-02-29T00:00:00Z'],
    ['31 April', '2026-04-31T00:00:00Z'],
    ['31 June', '2026-06-31T00:00:00Z'],
    ['31 September', '2026-09-31T00:00:00Z'],
    ['31 November', '2026-11-31T00:00:00Z'],
    ['day 32', '2026-01-32T00:00:00Z'],
    ['day 0', '2026-01-00T00:00:00Z'],
    ['month 0', '2026-00-10T00:00:00Z'],
    ['month 13', '2026-13-10T00:00:00Z'],
    ['24:00', '2026-03-15T24:00:00Z'],
    ['minute 60', '2026-03-15T09:60:00Z'],
    ['a leap second (:60)', '2016-12-31T23:59:60Z'],
    ['no zone', '2026-03-15T09:30:00'],
    ['a zone offset of 24 hours', '2026-03-15T09:30:00+24:00'],
    ['a date without time', '2026-03-15'],
    ['a lower-case z', '2026-03-15T09:30:00z'],
    ['a space for T', '2026-03-15 09:30:00Z'],
    ['a number', 1773567000000],
    ['an empty string', ''],
  ])('rejects %s', (_what, time) => {
    expect(isZonedTime(time)).toBe(false);
  });
});

describe('isCountry', () => {
  it.each(['JP', 'SG', 'US', 'RU', 'KP', 'TW', 'HK', 'MO', 'PS', 'AQ', 'XK'])(
    'accepts %s',
    (code) => {
      expect(isCountry(code)).toBe(true);
    },
  );

  it.each([
    ['unassigned XX', 'XX'],
    ['user-assigned ZZ', 'ZZ'],
    ['user-assigned AA', 'AA'],
    ['user-assigned QM', 'QM'],
    ['user-assigned XA', 'XA'],
    ['exceptionally reserved UK', 'UK'],
    ['exceptionally reserved EU', 'EU'],
    ['withdrawn AN', 'AN'],
    ['lower case', 'jp'],
    ['mixed case', 'Jp'],
    ['lower-case XK', 'xk'],
    ['alpha-3', 'JPN'],
    ['one letter', 'J'],
    ['digits', '12'],
    ['a number', 81],
  ])('rejects %s', (_what, code) => {
    expect(isCountry(code)).toBe(false);
  });

  // An independent look at the list: every code accepted is a region the runtime's CLDR data
  // names (CLDR also names withdrawn and reserved codes, which the table above refuses).
  it('accepts no code that CLDR does not name as a region', () => {
    const regions = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
    const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    const accepted = [...letters].flatMap((a) => [...letters].map((b) => a + b)).filter(isCountry);
    expect(accepted.length).toBeGreaterThan(240);
    expect(accepted.filter((code) => regions.of(code) === undefined)).toEqual([]);
  });
});

describe('isCalendarDate', () => {
  it.each(['1960-01-01', '2000-02-29', '1989-01-08', '0001-01-01'])('accepts %s', (date) => {
    expect(isCalendarDate(date)).toBe(true);
  });

  it.each([
    ['30 February', '1960-02-30'],
    ['29 February of 1900', '1900-02-29'],
    ['month 13', '1960-13-01'],
    ['day 0', '1960-01-00'],
    ['year 0', '0000-01-01'],
    ['a year only', '1960'],
    ['a year and month', '1960-01'],
    ['a time', '1960-01-01T00:00:00Z'],
    ['slashes', '1960/01/01'],
    ['a Japanese era date', '昭和35年1月1日'],
    ['a number', 19600101],
  ])('rejects %s', (_what, date) => {
    expect(isCalendarDate(date)).toBe(false);
  });
});

describe('isKanaReading', () => {
  it.each([
    'ヤマダ タロウ',
    'ヤマダ　タロウ',
    'ジョン・スミス',
    'ダ゠ヴィンチ',
    'ダ＝ヴィンチ',
    'ﾔﾏﾀﾞ ﾀﾛｳ',
    'ヴ',
    'ㇰ',
  ])('accepts %s', (reading) => {
    expect(isKanaReading(reading)).toBe(true);
  });

  it.each([
    ['hiragana', 'やまだ'],
    ['kanji', '山田'],
    ['Latin', 'Yamada'],
    ['a prolonged sound mark alone', 'ー'],
    ['a half-width prolonged sound mark alone', 'ｰ'],
    ['spaces', '  '],
    ['a digit', 'ヤマダ1'],
    ['an empty string', ''],
    ['a number', 1],
  ])('rejects %s', (_what, reading) => {
    expect(isKanaReading(reading)).toBe(false);
  });
});
