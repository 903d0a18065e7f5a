import { BirthDateSpan, spanOf } from './birth-date';
import { toCountryCode } from './country';
import {
  adjustScore,
  compareBirthDates,
  compareEvidence,
  DEFAULT_EVIDENCE_WEIGHTS,
  Evidence,
  ListedIdentifiers,
} from './evidence';
import { compareIds, idTypeOf, IdNumber, listedId, normaliseIdNumber } from './id-number';
import { parseBirthDateText } from './list-birth-dates';

const span = (text: string): BirthDateSpan[] => parseBirthDateText(text);

describe('compareBirthDates', () => {
  it.each<[string, string, string | undefined, string]>([
    ['a listed year and a day in it', '1960年', '1960-05-02', 'agrees'],
    ['a listed year and a day the year after', '1960年', '1961-01-01', 'differs'],
    ['a listed day and the same day', '1960年5月2日', '1960-05-02', 'agrees'],
    ['a listed day and the next day', '1960年5月2日', '1960-05-03', 'differs'],
    ['a listed month and a day in it', 'Nov. 1973', '1973-11-30', 'agrees'],
    ['a listed range and a day inside', '1963年から1968年の間', '1968-12-31', 'agrees'],
    ['a listed range and a day outside', '1963年から1968年の間', '1969-01-01', 'differs'],
    ['circa a year and the year after (1 year each way)', '1963年頃', '1964-06-01', 'agrees'],
    ['circa a year and two years after', '1963年頃', '1965-01-01', 'differs'],
    ['two alternatives, the second agreeing', '1965年又は1966年', '1966-03-01', 'agrees'],
    ['two alternatives, neither agreeing', '1965年又は1966年', '1970-03-01', 'differs'],
    ['no listed date', '不明', '1960-01-01', 'unknown'],
    ['no date given', '1960年', undefined, 'unknown'],
  ])('%s: %s', (_what, listed, given, verdict) => {
    expect(compareBirthDates(span(listed), given, 1)).toBe(verdict);
  });
});

describe('identification numbers', () => {
  it.each([
    ['tk-123 456', 'TK123456'],
    ['ＴＫ１２３４５６', 'TK123456'],
    ['AB.12/34', 'AB1234'],
  ])('normalises %s to %s', (text, normal) => {
    expect(normaliseIdNumber(text)).toBe(normal);
  });

  it.each([
    ['Passport', 'CCPT'],
    ['Diplomatic Passport', 'CCPT'],
    ['National ID No.', 'IDCD'],
    ['National Identification Number', 'IDCD'],
    ['Tax ID No.', 'TXID'],
    ["Driver's License No.", 'DRLC'],
    ['Registration Number', 'RAID'],
    ['旅券番号', 'CCPT'],
    ['Kenyan ID', 'MISC'],
    [undefined, 'MISC'],
  ])('reads the document kind %s as %s', (kind, type) => {
    expect(idTypeOf(kind)).toBe(type);
  });

  const passport = (number: string, country?: string): IdNumber => ({
    number,
    type: 'CCPT',
    ...(country ? { country } : {}),
  });
  it.each<[string, IdNumber[], IdNumber[], string]>([
    ['the same passport', [passport('TK123456', 'JP')], [passport('TK123456', 'JP')], 'agrees'],
    [
      'the same number, a country unknown',
      [passport('TK123456')],
      [passport('TK123456', 'JP')],
      'agrees',
    ],
    [
      'the same number, a type unknown',
      [{ number: 'TK123456' }],
      [passport('TK123456', 'JP')],
      'agrees',
    ],
    [
      'the same number of another country',
      [passport('TK123456', 'KP')],
      [passport('TK123456', 'JP')],
      'unknown',
    ],
    [
      'the same number of another kind',
      [{ number: 'TK123456', type: 'TXID' }],
      [passport('TK123456')],
      'unknown',
    ],
    ['a short number alike', [passport('044', 'AF')], [passport('044', 'AF')], 'unknown'],
    [
      'another passport of the same country',
      [passport('TK123456', 'JP')],
      [passport('TK999999', 'JP')],
      'differs',
    ],
    [
      'another passport, countries unknown',
      [passport('TK123456')],
      [passport('TK999999')],
      'unknown',
    ],
    ['nothing listed', [], [passport('TK123456', 'JP')], 'unknown'],
  ])('%s: %s', (_what, listed, given, verdict) => {
    expect(compareIds(listed, given)).toBe(verdict);
  });

  it('builds a listed id from what the lists write', () => {
    expect(listedId('P 1234-567', 'Passport', 'Russian Federation')).toEqual({
      number: 'P1234567',
      type: 'CCPT',
      country: 'RU',
    });
    expect(listedId(' - ', 'Passport')).toBeNull();
  });
});

describe('toCountryCode', () => {
  it.each([
    ['JP', 'JP'],
    ['sg', 'SG'],
    ['Afghanistan', 'AF'],
    ['Russian Federation', 'RU'],
    ['Iran (Islamic Republic of)', 'IR'],
    ["Democratic People's Republic of Korea", 'KP'],
    ['Syrian Arab Republic', 'SY'],
    ['Democratic Republic of the Congo', 'CD'],
    ['Viet Nam', 'VN'],
    ["Côte d'Ivoire", 'CI'],
    ['United Kingdom', 'GB'],
    ['ロシア', 'RU'],
    ['ロシア連邦', 'RU'],
    ['イラン', 'IR'],
    ['北朝鮮', 'KP'],
    ['シンガポール', 'SG'],
    ['アフガニスタン', 'AF'],
  ])('reads %s as %s', (text, code) => {
    expect(toCountryCode(text)).toBe(code);
  });

  it.each(['', 'XX', 'EU', 'Atlantis', 'JPN'])('reads %j as no country', (text) => {
    expect(toCountryCode(text)).toBeNull();
  });
});

describe('compareEvidence and adjustScore', () => {
  const listed: ListedIdentifiers = {
    birthDates: [spanOf({ year: 1960, month: 1, day: 1 })!],
    countries: ['KP'],
    ids: [{ number: 'PS472123', type: 'CCPT', country: 'KP' }],
  };

  it('compares each identifier on its own', () => {
    expect(
      compareEvidence(listed, {
        birthDate: '1960-01-01',
        countries: ['JP'],
        ids: [{ number: 'PS472123', type: 'CCPT', country: 'KP' }],
      }),
    ).toEqual({ birthDate: 'agrees', country: 'differs', idNumber: 'agrees' });
    expect(compareEvidence(listed, { countries: [], ids: [] })).toEqual({
      birthDate: 'unknown',
      country: 'unknown',
      idNumber: 'unknown',
    });
  });

  const e = (birthDate: string, country: string, idNumber: string) =>
    ({ birthDate, country, idNumber }) as Evidence;
  it.each<[string, number, Evidence, number, boolean]>([
    ['nothing known', 0.93, e('unknown', 'unknown', 'unknown'), 0.93, false],
    ['an agreeing id under a misspelt name', 0.62, e('unknown', 'unknown', 'agrees'), 1, true],
    ['an agreeing id with a differing birth date', 0.9, e('differs', 'differs', 'agrees'), 1, true],
    [
      'a namesake: same name, another birth date',
      1,
      e('differs', 'unknown', 'unknown'),
      0.85,
      false,
    ],
    ['a fuzzy name with another birth date', 0.92, e('differs', 'unknown', 'unknown'), 0.77, false],
    ['a fuzzy name with the birth date', 0.87, e('agrees', 'unknown', 'unknown'), 0.92, false],
    ['an exact name with the birth date', 1, e('agrees', 'agrees', 'unknown'), 1, false],
    ['another country', 0.95, e('unknown', 'differs', 'unknown'), 0.9, false],
    ['a differing id alone', 0.95, e('unknown', 'unknown', 'differs'), 0.95, false],
    ['never below 0', 0.1, e('differs', 'differs', 'unknown'), 0, false],
  ])('%s', (_what, score, evidence, adjusted, certain) => {
    expect(adjustScore(score, evidence)).toEqual({ score: adjusted, certain });
  });

  it('takes an exact name with another birth date below the person threshold (0.9)', () => {
    const { score } = adjustScore(1, e('differs', 'unknown', 'unknown'), DEFAULT_EVIDENCE_WEIGHTS);
    expect(score).toBeLessThan(0.9);
  });
});
