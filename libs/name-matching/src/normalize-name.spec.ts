import { nameKey, nameLength, nameTokens, normalizeName } from './normalize-name';

describe('normalizeName', () => {
  it.each([
    ['GARANTEX EUROPE OU', 'garantex europe ou'],
    ['GARANTEX EUROPE OÜ', 'garantex europe ou'],
    ['  Garantex   Europe\tOÜ ', 'garantex europe ou'],
    ['ＧＡＲＡＮＴＥＸ　ＥＵＲＯＰＥ', 'garantex europe'], // full-width letters and space (NFKC)
    ['Ivanov, Ivan', 'ivanov ivan'],
    ['AL-QA’IDA', 'al qaida'],
    ["CH'OE SO'K MIN", 'choe sok min'], // McCune-Reischauer apostrophes
    ["O'Brien, ' quoted '", 'obrien quoted'],
    ['S.A.S. E.U.', 's a s e u'],
    ['Straße', 'strasse'], // full case folding
    ['Þórsson Ægir', 'thorsson aegir'],
    ['Øresund Łódź', 'oresund lodz'],
    ['Лукашэнка, Аляксандр', 'лукашэнка аляксандр'],
    ['ガランテックス', 'ガランテックス'], // Japanese voicing marks are kept
    ['ｶﾞﾗﾝﾃｯｸｽ', 'ガランテックス'], // half-width katakana composes (NFKC)
    ['セルゲイSチェメゾフ', 'セルゲイ s チェメゾフ'], // a Latin initial inside katakana is a word
    ['山田Taro', '山田taro'], // a word, not an initial: left as written
    ['مصطفى\u202b\u202c, \u202bجمال\u202c', 'مصطفى جمال'], // bidi controls become spaces
    ['!!!', ''],
    ['', ''],
  ])('%j -> %j', (raw, normalized) => {
    expect(normalizeName(raw)).toBe(normalized);
  });

  it('is idempotent', () => {
    for (const raw of ['GARANTEX EUROPE OÜ', 'Ivanov, Ivan', 'Straße', 'ｶﾞﾗﾝﾃｯｸｽ']) {
      expect(normalizeName(normalizeName(raw))).toBe(normalizeName(raw));
    }
  });
});

describe('nameKey, nameTokens, nameLength', () => {
  it.each([
    ['ivan ivanov', 'ivan ivanov'],
    ['ivanov ivan', 'ivan ivanov'],
    ['ivan ivan ivanov', 'ivan ivan ivanov'], // duplicates are kept
    ['', ''],
  ])('nameKey(%j) = %j', (normalized, key) => {
    expect(nameKey(normalized)).toBe(key);
  });

  it('counts words and letters without spaces', () => {
    expect(nameTokens('')).toEqual([]);
    expect(nameTokens('al qaeda')).toEqual(['al', 'qaeda']);
    expect(nameLength('al qaeda')).toBe(7);
    expect(nameLength('garantex')).toBe(8);
  });
});
