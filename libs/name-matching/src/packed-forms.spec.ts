import { formsOfNormalized } from './name-forms';
import { normalizeName } from './normalize-name';
import { packForms, unpackForms } from './packed-forms';

describe('packed name forms', () => {
  it.each([
    'CHEMEZOV, Sergey Viktorovich',
    'Чемезов Сергей Викторович',
    'セルゲイ・チェメゾフ',
    'テフン キム',
    '後藤 忠正',
    'GARANTEX EUROPE OÜ',
    'KIM Il',
    'محمد',
    'a b c d e',
  ])('unpack(pack(%s)) gives the forms back', (raw) => {
    const normalized = normalizeName(raw);
    const forms = formsOfNormalized(normalized);
    const packed = packForms(forms);
    expect(packed).not.toBeNull();
    expect(unpackForms(normalized, packed!)).toEqual(forms);
  });

  it('refuses what it cannot pack, so the index keeps that name as an object', () => {
    const forms = formsOfNormalized('ivan ivanov');
    expect(packForms({ ...forms, keys: ['iv an', 'ivnv'] })).toBeNull();
  });
});
