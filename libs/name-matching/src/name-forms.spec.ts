import { looseKey, nameFormsOf } from './name-forms';
import { scoreNames } from './name-score';

describe('looseKey: a kana word against a Latin word', () => {
  it.each([
    // Korean: voicing inside a name, -ng as ン, the glide of kw, ae/oe as エ (McCune-Reischauer).
    ['kwang', 'latin', 'kuan'],
    ['gwan', 'kana', 'kuan'],
    ['paek', 'latin', 'pek'],
    ['choe', 'latin', 'ce'],
    ['jang', 'latin', 'can'],
    ['chan', 'kana', 'can'],
    // French and English spelling: soft g before e, ou, au, final -ent.
    ['germain', 'latin', 'cermain'],
    ['jerman', 'kana', 'cerman'],
    ['laurent', 'latin', 'roran'],
    ['mansour', 'latin', 'mansur'],
    // Arabic in English spelling: gh, ee.
    ['aghajani', 'latin', 'akacani'],
    ['deeb', 'latin', 'tip'],
    // ン before b, m, p is m (Hepburn).
    ['zanbanbita', 'kana', 'sampampita'],
  ] as const)('%s (%s) -> %s', (word, from, key) => {
    expect(looseKey(word, from)).toBe(key);
  });

  it('keeps kana vowels apart that Latin spelling runs together', () => {
    // ハウン is ha-un: au is French o only in Latin letters.
    expect(looseKey('haun', 'kana')).toBe('haun');
    expect(looseKey('haun', 'latin')).toBe('hon');
  });
});

describe('scoreNames with loose keys', () => {
  const score = (given: string, listed: string): number =>
    scoreNames(nameFormsOf(given), nameFormsOf(listed), true)?.score ?? 0;

  it.each([
    ['キム・グワンイル', 'KIM, Kwang-Il'],
    ['チャン・ボムス', 'JANG BOM SU'],
    ['リ・ヨンム', 'RI YONG MU'], // one kana is a syllable, not an initial
    ['ジェルマン・カタンガ', 'KATANGA, Germain'],
    ['ローラン・ンクンダ', 'NKUNDA, Laurent'],
  ])('%s matches %s', (given, listed) => {
    expect(score(given, listed)).toBeGreaterThanOrEqual(0.9);
  });

  it.each([
    ['キム・ヨンス', 'KIM, Kwang-Il'],
    ['ハン・ハウン', 'Han, Hong Gil'],
    ['Jang Bom Su', 'CHANG BOM SU'], // two Latin names: no loose keys
  ])('%s does not match %s', (given, listed) => {
    expect(score(given, listed)).toBeLessThan(0.9);
  });
});
