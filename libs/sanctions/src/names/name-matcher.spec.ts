import { buildNameIndex } from './name-index';
import { nameEntry } from './__fixtures__/name-entries';
import type { NameEntry } from './name-entry';
import {
  counterpartyNameKey,
  counterpartyNameOf,
  matchCounterpartyName,
  type NameListHit,
} from './name-matcher';

const YAN = { entityId: '25308', entityName: 'YAN, Xiaobing', partyKind: 'individual' as const };

const LIST: NameEntry[] = [
  nameEntry(),
  nameEntry({ name: 'Garantex', nameType: 'aka' }),
  nameEntry({ ...YAN, name: 'YAN, Xiaobing', programs: ['SDNTK'] }),
  nameEntry({
    entityId: '27307',
    entityName: 'Lazarus Group',
    name: 'Hidden Cobra',
    nameType: 'aka',
    lowQuality: true,
    programs: ['DPRK3'],
  }),
];

/** What the store's lookup returns for the index above (one list, one version). */
function lookupOf(keys: Array<string | null>): Map<string, NameListHit[]> {
  const index = buildNameIndex(LIST);
  const hits = new Map<string, NameListHit[]>();
  for (const key of keys) {
    const found = key === null ? undefined : index.fields.get(key);
    if (key !== null && found) {
      hits.set(
        key,
        found.map((s) => ({ ...s, listId: 'ofac-sdn', listVersion: 'v1' })),
      );
    }
  }
  return hits;
}

function match(raw: string | undefined): Array<[string, string, string]> {
  return matchCounterpartyName(counterpartyNameOf(raw), lookupOf([counterpartyNameKey(raw)])).map(
    (h) => [h.entityId, h.nameType, h.how],
  );
}

describe('matchCounterpartyName', () => {
  it.each<[string | undefined, Array<[string, string, string]>]>([
    ['Garantex Europe OU', [['36025', 'primary', 'exact']]],
    ['GARANTEX EUROPE OÜ', [['36025', 'primary', 'exact']]],
    ['garantex-europe, o.u.', []], // "o u" is not "ou": punctuation splits words
    ['Europe OU Garantex', [['36025', 'primary', 'reordered']]],
    ['GARANTEX', [['36025', 'aka', 'exact']]],
    ['Xiaobing Yan', [['25308', 'primary', 'reordered']]],
    ['YAN Xiaobing', [['25308', 'primary', 'exact']]],
    ['Yan Xiaobin', []], // no fuzzy matching
    ['Garantex Europe', []], // part of a name is not the name
    ['Garantex Europe OU Ltd', []],
    ['Hidden Cobra', []], // weak alias
    ['John Smith', []],
    ['', []],
    [undefined, []],
  ])('%j', (raw, expected) => {
    expect(match(raw)).toEqual(expected);
  });

  it('returns one hit per entity and ignores a stored name whose words differ', () => {
    const key = counterpartyNameKey('garantex europe ou')!;
    const [stored] = buildNameIndex(LIST).fields.get(key)!;
    const hits = new Map<string, NameListHit[]>([
      [
        key,
        [
          { ...stored, listId: 'ofac-sdn', listVersion: 'v1', normalised: 'ou europe garantex' },
          { ...stored, listId: 'ofac-sdn', listVersion: 'v1' },
          { ...stored, listId: 'ofac-sdn', listVersion: 'v1', normalised: 'corrupt' },
        ],
      ],
    ]);
    const found = matchCounterpartyName(counterpartyNameOf('Garantex Europe OU'), hits);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ how: 'exact', listedName: 'GARANTEX EUROPE OU' });
  });

  it('looks nothing up for an empty or absurdly long name', () => {
    expect(counterpartyNameKey(' , ')).toBeNull();
    expect(counterpartyNameKey('a'.repeat(1001))).toBeNull();
    expect(counterpartyNameKey(undefined)).toBeNull();
  });
});
