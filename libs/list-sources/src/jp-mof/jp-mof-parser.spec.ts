import { join } from 'node:path';
import { classifyListedAddress } from '@sekimori/chains';
import { ListParseError } from '../list-entry';
import { parseJpMof, type ParseJpMofResult } from './jp-mof-parser';

const ROOT = join(__dirname, '..', '..', '..', '..');
const MOF_FILE = join(ROOT, 'data', 'sanctions', 'jp-mof', 'shisantouketsu20260305.xlsx');
const NOT_OK = join(ROOT, 'test', 'fixtures', 'lists', 'not-ok');

/**
 * Parties (rows with a name) per program, by MOF's sheet number. Checked against the sheets'
 * row counts: e.g. 29 (Russia, individuals) has 759 rows under its header, 752 names and 7
 * deleted entries; 28 (Russia, entities) 369 rows, all named. 8, 11 and 18 are lifted.
 */
const PARTIES: Record<string, number> = {
  '1': 10, '2': 480, '3': 12, '4': 59, '5': 65, '6': 1, '7': 9, '8': 0, '9': 44, '10': 9,
  '11': 0, '12': 5, '13': 16, '14': 75, '15': 80, '16': 75, '17': 84, '18': 0, '19': 43,
  '20': 78, '21': 24, '22': 2, '23': 23, '24': 59, '25': 31, '26': 331, '27': 18, '28': 369,
  '29': 752, '30': 16, '31': 19, '32': 12, '33': 4, '34': 7, '35': 1, '36': 1, '37': 14,
  '38': 1, '39': 10, '40': 8, '41': 0, '42': 9, '43': 4, '44': 2,
}; // prettier-ignore

/** The eight Ethereum addresses of the Lazarus Group's notes (sheet 16, notice No. 68). */
const LAZARUS = [
  '0xa0e1c89Ef1a489c9C7dE96311eD5Ce5D32c20E4B',
  '0x098B716B8Aaf21512996dC57EB0615e2383E2f96',
  '0x3Cffd56B47B7b41c56258D9C7731ABaDc360E073',
  '0x53b6936513e738f44FB50d2b9476730C0Ab3Bfc1',
  '0x35fB6f6DB4fb05e6A4cE86f2C93691425626d4b1',
  '0xF7B31119c2682c88d88D455dBb9d5932c65Cf1bE',
  '0x3e37627dEAA754090fBFbb8bd226c1CE66D255e9',
  '0x08723392Ed15743cc38513C4925f5e6be5c17243',
];

describe('parseJpMof on the MOF file of 2026-03-05', () => {
  let list: ParseJpMofResult;
  beforeAll(async () => {
    list = await parseJpMof(MOF_FILE);
  }, 60_000);

  it('reads the index and 44 programs, three of them lifted', () => {
    expect(list.listId).toBe('jp-mof');
    expect(list.input).toEqual({ sheets: 45, indexSheet: '一覧' });
    expect(list.programs.map((p) => p.number)).toEqual(
      Array.from({ length: 44 }, (_, i) => String(i + 1)),
    );
    expect(list.programs.filter((p) => p.lifted).map((p) => p.number)).toEqual(['8', '11', '18']);
    const parties = Object.fromEntries(list.programs.map((p) => [p.number, p.parties]));
    expect(parties).toEqual(PARTIES);
  });

  it('dates the list by its latest notice, the day in the file name', () => {
    expect(list.issuedAt).toBe('2026-03-05');
  });

  it('titles each program from the rows above its table, without MOF notes', () => {
    const byNumber = new Map(list.programs.map((p) => [p.number, p.title]));
    expect(byNumber.get('29')).toBe('資産凍結等の措置の対象となるロシア連邦の団体及び個人（個人）');
    expect(byNumber.get('28')).toBe(
      '資産凍結等の措置の対象となるロシア連邦の団体及び個人（団体（特定銀行を除く））',
    );
    expect(byNumber.get('17')).toMatch(/^国際平和のための.*関与する者（個人）$/);
  });

  it('gives a Russian individual his Japanese and English names, with program and notice', () => {
    const lavrov = list.names.filter((n) => n.entityId === '29-2');
    expect(lavrov.map((n) => [n.name, n.nameType])).toEqual([
      ['セルゲイ・ラヴロフ', 'primary'],
      ['Sergey Lavrov', 'primary'],
    ]);
    expect(lavrov[0]).toMatchObject({
      entityName: 'Sergey Lavrov / セルゲイ・ラヴロフ',
      partyKind: 'individual',
      programs: [
        '29. 資産凍結等の措置の対象となるロシア連邦の団体及び個人（個人）',
        'notice 2022-03-01 No. 2',
      ],
    });
  });

  it("takes the Lazarus Group's addresses from its notes, normalized as OFAC's are", () => {
    const lazarus = list.entries.filter((e) => e.entityId === '16-68');
    expect(lazarus.map((e) => e.key)).toEqual(
      LAZARUS.map((raw) => classifyListedAddress(raw, '')!.key),
    );
    expect(new Set(lazarus.map((e) => e.chain))).toEqual(new Set(['ethereum']));
    expect(lazarus[0].entityName).toBe('Lazarus Group / ラザルス・グループ');
    expect(list.stats).toEqual({
      parties: 3,
      features: 26,
      distinctAddresses: 26,
      byChain: { ethereum: 9, bitcoin: 17 },
      unclassified: {},
    });
    const aliases = list.names.filter((n) => n.entityId === '16-68' && n.nameType === 'aka');
    expect(aliases.map((n) => n.name)).toEqual(
      expect.arrayContaining(['ヒドゥン・コブラ', 'Hidden Cobra', 'APT-C-26', 'Appleworm']),
    );
  });

  it('lets no phonetic guide (furigana) into a name, a title or an address', () => {
    // Shared strings of the file whose phonetic runs read カブシキカイシャ, タイガイケイザイギンコウ.
    const names = list.names.map((n) => n.name);
    expect(names).toContain('株式会社ロスエレクトロニクス');
    expect(names).toContain('ＶＥＢ．ＲＦ（ロシア対外経済銀行）');
    const texts = [
      ...names,
      ...list.programs.map((p) => p.title),
      ...list.entries.map((e) => `${e.address} ${e.entityName}`),
    ];
    for (const reading of [
      'カブシキカイシャ',
      'タイガイケイザイギンコウ',
      'ヒヅケ',
      'シュッセイチ',
    ]) {
      expect(texts.filter((text) => text.includes(reading))).toEqual([]);
    }
    expect(list.entries.filter((e) => /[^\x21-\x7e]/.test(e.address))).toEqual([]);
  });

  it('flags the aliases MOF says are not enough to identify a person', () => {
    const weak = list.names.filter((n) => n.lowQuality);
    expect(weak.length).toBeGreaterThan(0);
    expect(list.names.filter((n) => n.lowQuality && n.nameType === 'primary')).toEqual([]);
  });

  it("keeps each person's birth dates, nationality and passport numbers beside every name", () => {
    // Sheet 2, notice No. 11: 生年月日 （a）1960年頃（b）1966年, 国籍 アフガニスタン,
    // 旅券番号 アフガニスタン旅券：SEー011697（1988年1月25日にカブールで発行、…）.
    const names = list.names.filter((n) => n.entityId === '2-11');
    expect(names.length).toBeGreaterThan(1);
    expect(new Set(names.map((n) => n.ids))).toEqual(
      new Set(['b=19600101-19601231~,19660101-19661231;c=AF;i=CCPT:AF:SE011697']),
    );
    // A designated firm has no birth date: nothing is kept for it.
    expect(list.names.find((n) => n.entityId === '16-68')?.ids).toBeUndefined();
  });
});

describe('parseJpMof on files it must refuse', () => {
  it.each([
    ['jp-mof-truncated.xlsx', /zip end record is missing .* looks truncated/],
    ['zip-garbage.xlsx', /not a complete xlsx file/],
    [
      'uk-conlist-head.xlsx',
      /no sheet with a table starting 告示日付: not a MOF asset-freeze list/,
    ],
  ])('%s', async (file, message) => {
    const parsing = parseJpMof(join(NOT_OK, file));
    await expect(parsing).rejects.toThrow(ListParseError);
    await expect(parseJpMof(join(NOT_OK, file))).rejects.toThrow(message);
  });

  it('says so when the file cannot be opened', async () => {
    await expect(parseJpMof(join(NOT_OK, 'missing.xlsx'))).rejects.toThrow(/ENOENT/);
  });
});
