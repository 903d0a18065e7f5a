import { decodeIdentifiers } from './compact';
import { parseBirthDateText } from './list-birth-dates';
import { countriesInText, idNumbersInText, listedIdentifiers } from './listed-ids';

describe('idNumbersInText', () => {
  // Quoted from the 旅券番号 and ID番号 columns of shisantouketsu20260305.xlsx.
  it.each<[string, string[]]>([
    [
      'アフガニスタン旅券：SEー011697（1988年1月25日にカブールで発行、2000年2月23日に失効） ',
      ['CCPT:AF:SE011697'],
    ],
    [
      'アフガニスタン旅券番号：OA462456(2012年1月31日に発行、Abdul Haqの名義で発行)　',
      ['CCPT:AF:OA462456'],
    ],
    ['アフガニスタン旅券　OA296623', ['CCPT:AF:OA296623']],
    ['アフガニスタン旅券 D 001206 （2000年7月17日発行）', ['CCPT:AF:D001206']],
    ['(a)パキスタン旅券 AB1234567 (b)旅券 998877', ['CCPT:PK:AB1234567', 'CCPT::998877']],
    ['不明', []],
    ['1988年1月25日', []],
    ['No. 123', []],
    ['', []],
  ])('%s', (text, expected) => {
    expect(
      idNumbersInText(text).map((id) => `${id.type}:${id.country ?? ''}:${id.number}`),
    ).toEqual(expected);
  });

  it('takes the column kind when the text names none', () => {
    expect(idNumbersInText('ロシア 4509123456', 'national id')).toEqual([
      { number: '4509123456', type: 'IDCD', country: 'RU' },
    ]);
  });
});

describe('countriesInText', () => {
  it.each<[string, string[]]>([
    ['アフガニスタン', ['AF']],
    ['(a)ロシア連邦 (b)ウクライナ', ['RU', 'UA']],
    ['北朝鮮', ['KP']],
    ['Iran (Islamic Republic of)', ['IR']],
    ['不明', []],
  ])('%s is %j', (text, codes) => {
    expect(countriesInText(text)).toEqual(codes);
  });
});

describe('listedIdentifiers', () => {
  it('keeps each date, country and number once, in a stable order', () => {
    const text = listedIdentifiers(
      [...parseBirthDateText('1960年頃'), ...parseBirthDateText('1960年頃')],
      ['RU', null, 'KP', 'RU'],
      [...idNumbersInText('ロシア旅券 PS472123'), ...idNumbersInText('ロシア旅券 PS-472123')],
    );
    expect(text).toBe('b=19600101-19601231~;c=KP,RU;i=CCPT:RU:PS472123');
    expect(decodeIdentifiers(text).ids).toHaveLength(1);
  });

  it('is empty for a party the list says nothing more of', () => {
    expect(listedIdentifiers([], [], [])).toBe('');
  });
});

describe('countries by name', () => {
  // CLDR names YD (South Yemen, withdrawn) "Yemen" too; A-Z order would pick it.
  it('reads Yemen as YE, never the withdrawn YD', () => {
    expect(countriesInText('イエメン')).toEqual(['YE']);
    expect(countriesInText('Yemen')).toEqual(['YE']);
  });
});
