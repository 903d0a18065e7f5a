import { nameEntry } from './__fixtures__/name-entries';
import type { NameEntry } from './name-entry';
import { buildNameIndex } from './name-index';
import { counterpartyNameKey, matchNames, screenedNameOf } from './name-matcher';
import { DEFAULT_NAME_THRESHOLDS, NameSearchIndex } from './name-search-index';

const person = (entityId: string, name: string, nameType: NameEntry['nameType'] = 'primary') =>
  nameEntry({
    entityId,
    entityName: name,
    partyKind: 'individual',
    name,
    nameType,
    programs: ['RUSSIA-EO14024'],
  });

/** Real entries of the OFAC file of 2025-11-19 (names as listed), plus a weak alias. */
const LIST: NameEntry[] = [
  nameEntry(),
  nameEntry({ name: 'Garantex', nameType: 'aka' }),
  person('25308', 'YAN, Xiaobing'),
  person('48087', 'CHEMEZOV, Sergei Viktorovich'),
  person('48087', 'CHEMEZOV, Sergey Viktorovich', 'aka'),
  person('49043', 'TYURIN, Denis Valeriyevich'),
  person('52000', 'SHOIGU, Sergei Kuzhugetovich'),
  person('60001', '後藤, 忠正'),
  nameEntry({
    entityId: '27307',
    entityName: 'Lazarus Group',
    name: 'Hidden Cobra',
    nameType: 'aka',
    lowQuality: true,
    programs: ['DPRK3'],
  }),
];

const index = new NameSearchIndex([...buildNameIndex(LIST).fields.values()].flat());
const indexes = [{ listId: 'ofac-sdn', listVersion: 'v1', index }];

function match(raw: string | undefined): Array<[string, string, string]> {
  return matchNames([screenedNameOf(raw, 'counterparty')], indexes, DEFAULT_NAME_THRESHOLDS).map(
    (m) => [m.entityId, m.nameType, m.method],
  );
}

describe('matchNames', () => {
  it.each<[string | undefined, Array<[string, string, string]>]>([
    ['Garantex Europe OU', [['36025', 'primary', 'exact']]],
    ['GARANTEX EUROPE OÜ', [['36025', 'primary', 'exact']]],
    ['ＧＡＲＡＮＴＥＸ　ＥＵＲＯＰＥ　ＯＵ', [['36025', 'primary', 'exact']]],
    ['Europe OU Garantex', [['36025', 'primary', 'reordered']]],
    ['GARANTEX', [['36025', 'aka', 'exact']]],
    ['Xiaobing Yan', [['25308', 'primary', 'reordered']]],
    ['Garantex Europe', []], // part of a firm's name is another firm
    ['Garantex Europe OU Ltd', []],
    ['Hidden Cobra', []], // weak alias
    // Russian names across systems and scripts.
    ['Sergej Chemezov', [['48087', 'primary', 'partial']]],
    ['Сергей Викторович Чемезов', [['48087', 'primary', 'transliterated']]],
    ['Denis Valerievich Tiurin', [['49043', 'primary', 'transliterated']]],
    ['Денис Тюрин', [['49043', 'primary', 'partial']]],
    // Katakana (full, half width, hiragana; with and without the middle dot) against Latin.
    ['セルゲイ・チェメゾフ', [['48087', 'primary', 'partial']]],
    ['ｾﾙｹﾞｲ ﾁｪﾒｿﾞﾌ', [['48087', 'primary', 'partial']]],
    ['せるげい・ちぇめぞふ', [['48087', 'primary', 'partial']]],
    ['セルゲイ・V・チェメゾフ', [['48087', 'primary', 'transliterated']]],
    ['セルゲイ・S・チェメゾフ', []], // S is not Viktorovich
    ['セルゲイ・ショイグ', [['52000', 'primary', 'partial']]],
    // Kanji, with or without the space.
    ['後藤忠正', [['60001', 'primary', 'exact']]],
    ['後藤 忠正', [['60001', 'primary', 'exact']]],
    // A typo in a long word.
    ['Sergei Viktorovich Chemezvo', [['48087', 'primary', 'fuzzy']]],
    ['Sergei Chemezvo', []], // a typo and a missing patronymic together are too little
    ['Sergei Ivanov', []],
    ['John Smith', []],
    ['', []],
    [undefined, []],
  ])('%j', (raw, expected) => {
    expect(match(raw)).toEqual(expected);
  });

  it('says which name matched, with the given name, a score and the method', () => {
    const found = matchNames(
      [screenedNameOf('ｾﾙｹﾞｲ ﾁｪﾒｿﾞﾌ', 'account'), screenedNameOf('Garantex', 'counterparty')],
      indexes,
      DEFAULT_NAME_THRESHOLDS,
    );
    expect(found.map((m) => [m.nameOf, m.givenName, m.listedName, m.method])).toEqual([
      ['account', 'ｾﾙｹﾞｲ ﾁｪﾒｿﾞﾌ', 'CHEMEZOV, Sergei Viktorovich', 'partial'],
      ['counterparty', 'Garantex', 'Garantex', 'exact'],
    ]);
    expect(found[0].score).toBeGreaterThanOrEqual(DEFAULT_NAME_THRESHOLDS.person);
    expect(found[0].score).toBeLessThan(1);
    expect(found[1].score).toBe(1);
  });

  it('answers a name seen before on the same version from its cache, without normalizing it', () => {
    const first = screenedNameOf('Сергей Викторович Чемезов', 'counterparty')!;
    const again = screenedNameOf('Сергей Викторович Чемезов', 'counterparty')!;
    let worked = 0;
    const counted = { ...again, forms: () => ((worked += 1), again.forms()) };
    const a = matchNames([first], indexes, DEFAULT_NAME_THRESHOLDS);
    const b = matchNames([counted], indexes, DEFAULT_NAME_THRESHOLDS);
    expect(b).toEqual(a);
    expect(a).toHaveLength(1);
    expect(worked).toBe(0);
  });

  it('matches nothing below the threshold of the list kind', () => {
    const strict = { person: 1, entity: 1 };
    const found = matchNames([screenedNameOf('Sergej Chemezov', 'account')], indexes, strict);
    expect(found).toEqual([]);
  });

  it('screens nothing for an empty or absurdly long name', () => {
    expect(screenedNameOf(' ', 'account')).toBeNull();
    expect(screenedNameOf(' , ', 'account')?.forms()).toBeNull();
    expect(screenedNameOf('a'.repeat(1001), 'account')?.forms()).toBeNull();
    expect(match(' , ')).toEqual([]);
    expect(counterpartyNameKey(undefined)).toBeNull();
    expect(counterpartyNameKey('Ivanov Ivan')).toBe('ivan ivanov');
  });
});
