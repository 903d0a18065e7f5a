import { cryptoAddressesIn } from './crypto-notes';
import { columnsOf, noticeDatesOf, partyKindOf, splitAliases, titleOf } from './mof-sheet';

describe('MOF sheet cells', () => {
  it('finds columns by their header text, whatever their order', () => {
    const columns = columnsOf([
      '',
      '告示日付',
      '告示番号',
      '日本語表記',
      '英語表記',
      '別名',
      '確定に十分でない別名',
      '過去の別名',
      '生年月日',
      'その他の\n情報',
      '国籍',
      '旅券番号',
      'ID番号',
    ]);
    expect(columns).toEqual({
      noticeDate: 1,
      noticeNumber: 2,
      japanese: 3,
      english: 4,
      aliases: [
        { column: 5, header: '別名', nameType: 'aka', lowQuality: false },
        { column: 6, header: '確定に十分でない別名', nameType: 'aka', lowQuality: true },
        { column: 7, header: '過去の別名', nameType: 'fka', lowQuality: false },
      ],
      birthDate: 8,
      nationality: 10,
      idNumbers: [
        { column: 11, kind: 'passport' },
        { column: 12, kind: 'national id' },
      ],
      notes: [8, 9, 10, 11, 12],
    });
    expect(columnsOf(['告示日付', '英語表記'])).toEqual({ missing: ['告示番号', '日本語表記'] });
  });

  it.each([
    ['2022.3.1', { designated: '2022-03-01', revised: [], deleted: false }],
    [
      '2001.9.22\n200812.19改訂\n2012.3.27改訂',
      { designated: '2001-09-22', revised: ['2012-03-27'], deleted: false },
    ],
    ['2011.11.18削除', { designated: null, revised: [], deleted: true }],
    ['2023.2.30', { designated: null, revised: [], deleted: false }],
  ])('reads the notice dates of %j', (cell, expected) => {
    expect(noticeDatesOf(cell)).toMatchObject(expected);
  });

  it('splits alias cells on MOF separators but keeps Latin "LAST, First"', () => {
    expect(splitAliases('ヒドゥン・コブラ；オフィス９１\nHidden Cobra; Office 91')).toEqual([
      'ヒドゥン・コブラ',
      'オフィス９１',
      'Hidden Cobra',
      'Office 91',
    ]);
    expect(splitAliases('(a)Al-Rasheed Trust (b) Al　Rasheed Trust (c)Al-Madina Trust)')).toEqual([
      'Al-Rasheed Trust',
      'Al Rasheed Trust',
      'Al-Madina Trust',
    ]);
    expect(splitAliases(" CHO'N, Chin-yo'ng;ZYON, Zin Yon")).toEqual([
      "CHO'N, Chin-yo'ng",
      'ZYON, Zin Yon',
    ]);
    expect(splitAliases('アフメド・ガルバヤ、サイード\n（Ahmed Garbaya）')).toEqual([
      'アフメド・ガルバヤ',
      'サイード',
      'Ahmed Garbaya',
    ]);
    expect(splitAliases('不明')).toEqual([]);
  });

  it('titles a sheet from the rows above its table, notes left out', () => {
    expect(titleOf([['テロリスト等', 'テロリスト等', '米国等が…団体'], ['（注）*で標記']])).toBe(
      'テロリスト等 米国等が…団体',
    );
    expect(titleOf([['ロシア連邦（個人）\n（注１）下記に掲げる…']])).toBe('ロシア連邦（個人）');
  });

  it('tells individuals from entities by the title, else by a birth date', () => {
    expect(partyKindOf('ロシア連邦の団体及び個人（個人）', false)).toBe('individual');
    expect(partyKindOf('ロシア連邦の団体及び個人（団体（特定銀行を除く））', true)).toBe('entity');
    expect(partyKindOf('タリバーン関係者等', true)).toBe('individual');
    expect(partyKindOf('タリバーン関係者等', false)).toBe('other');
  });
});

describe('cryptoAddressesIn', () => {
  it('reads the addresses after 暗号資産アドレス： up to the next note', () => {
    expect(
      cryptoAddressesIn(
        '出生地：中華人民共和国山東省\n性別：男性\n暗号資産アドレス：\n1986rYHckYbJpGQJy6ornuMyD2N5MTqwDt；\n125W5ek3DT6Zqy5S2iPt4FHQdNMCbZA3FU',
      ),
    ).toEqual(['1986rYHckYbJpGQJy6ornuMyD2N5MTqwDt', '125W5ek3DT6Zqy5S2iPt4FHQdNMCbZA3FU']);
    expect(
      cryptoAddressesIn('暗号資産アドレス：0x4f47bc496083c727c5fbe3ce9cdf2b0f6496270c\n性別：男性'),
    ).toEqual(['0x4f47bc496083c727c5fbe3ce9cdf2b0f6496270c']);
    expect(cryptoAddressesIn('性別：男性')).toEqual([]);
  });
});
