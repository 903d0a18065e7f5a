import { nameEntry } from './__fixtures__/name-entries';
import { buildNameIndex, nameIndexDigest, skipReason } from './name-index';

describe('skipReason', () => {
  it.each([
    ['a two-word entity name of 8+ letters', nameEntry(), null],
    [
      'a weak alias, however distinctive',
      nameEntry({ name: 'Hidden Cobra', lowQuality: true }),
      'weak',
    ],
    ['a one-word entity name of 8 letters', nameEntry({ name: 'Garantex', nameType: 'aka' }), null],
    ['a one-word entity name under 8 letters', nameEntry({ name: 'Grinex' }), 'generic'],
    [
      'a one-word individual name of 8+ letters',
      nameEntry({ name: 'MAKABURI', partyKind: 'individual' }),
      'generic',
    ],
    ['a one-word vessel name', nameEntry({ name: 'HAPPINESS', partyKind: 'vessel' }), 'generic'],
    [
      'two words under 8 letters',
      nameEntry({ name: 'KHAN, Ali', partyKind: 'individual' }),
      'generic',
    ],
    [
      'an individual "LAST, First"',
      nameEntry({ name: 'YAN, Xiaobing', partyKind: 'individual' }),
      null,
    ],
    ['a name with no letters', nameEntry({ name: '---' }), 'generic'],
  ])('%s', (_name, e, reason) => {
    expect(skipReason(e)).toBe(reason);
  });
});

describe('buildNameIndex', () => {
  it('keys names by their sorted words, once per party and normalized name, primary first', () => {
    const index = buildNameIndex([
      nameEntry({ name: 'GARANTEX EUROPE OÜ', nameType: 'aka' }),
      nameEntry(),
      nameEntry({ name: 'Garantex', nameType: 'aka' }),
      nameEntry({ name: 'Grinex', nameType: 'aka' }),
      nameEntry({ name: 'Weak One', nameType: 'aka', lowQuality: true }),
      nameEntry({
        entityId: '25308',
        entityName: 'YAN, Xiaobing',
        partyKind: 'individual',
        name: 'YAN, Xiaobing',
        programs: ['SDNTK'],
      }),
    ]);
    expect(index.counts).toEqual({
      names: 6,
      indexed: 3,
      skippedWeak: 1,
      skippedGeneric: 1,
      keys: 3,
    });
    expect(index.fields.get('europe garantex ou')).toEqual([
      {
        entityId: '36025',
        entityName: 'GARANTEX EUROPE OU',
        partyKind: 'entity',
        programs: ['CYBER4', 'RUSSIA-EO14024'],
        name: 'GARANTEX EUROPE OU',
        nameType: 'primary',
        normalized: 'garantex europe ou',
      },
    ]);
    expect(index.fields.get('garantex')?.[0].nameType).toBe('aka');
    expect(index.fields.get('xiaobing yan')?.[0].normalized).toBe('yan xiaobing');
  });

  it('has a digest that ignores input order and changes with the names', () => {
    const a = nameEntry();
    const b = nameEntry({ name: 'Garantex', nameType: 'aka' });
    const digest = nameIndexDigest(buildNameIndex([a, b]));
    expect(nameIndexDigest(buildNameIndex([b, a]))).toBe(digest);
    expect(nameIndexDigest(buildNameIndex([a]))).not.toBe(digest);
  });
});

describe('buildNameIndex with identifiers', () => {
  const person = (ids?: string) =>
    nameEntry({
      entityId: '25308',
      entityName: 'YAN, Xiaobing',
      name: 'YAN, Xiaobing',
      partyKind: 'individual',
      ...(ids === undefined ? {} : { ids }),
    });

  it("stores a party's identifiers beside its name, under the same key", () => {
    const plain = buildNameIndex([person()]);
    const known = buildNameIndex([person('b=19770325;c=CN')]);
    expect([...known.fields.keys()]).toEqual([...plain.fields.keys()]);
    expect([...known.fields.values()][0][0].ids).toBe('b=19770325;c=CN');
    expect([...plain.fields.values()][0][0]).not.toHaveProperty('ids');
  });

  // A list version is named by its content: a corrected birth date is a new version, whose
  // name keys (what a re-screen looks for) are the same as before.
  it('changes the digest, not the keys, when only identifiers change', () => {
    const before = buildNameIndex([person('b=19770325')]);
    const after = buildNameIndex([person('b=19770326')]);
    expect(nameIndexDigest(after)).not.toBe(nameIndexDigest(before));
    expect([...after.fields.keys()]).toEqual([...before.fields.keys()]);
  });
});
