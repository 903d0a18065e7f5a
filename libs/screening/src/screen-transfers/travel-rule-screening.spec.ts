import { decodeInput, type ExchangeTransfer } from '@sekimori/contracts';
import {
  buildNameIndex,
  DEFAULT_NAME_THRESHOLDS,
  type ListNameIndex,
  type NameEntry,
  NameSearchIndex,
} from '@sekimori/name-matching';
import { crossBorderVerdict } from '@sekimori/rules';
import type { ScreenableTransfer } from './transfer-decoder';
import {
  hasNamesToScreen,
  matchTransferNames,
  transferNamesOf,
  travelRuleVerdict,
} from './travel-rule-screening';

// A MOF-like listing in katakana and Latin, with its birth date, nationality and passport.
const listed: NameEntry[] = [
  ['キム・ヨンチョル', 'primary'],
  ['KIM YONG CHOL', 'primary'],
].map(([name, nameType]) => ({
  entityId: '5-99',
  entityName: 'KIM YONG CHOL / キム・ヨンチョル',
  partyKind: 'individual',
  name,
  nameType: nameType as NameEntry['nameType'],
  lowQuality: false,
  programs: ['5. 北朝鮮の核関連計画'],
  ids: 'b=19600305;c=KP;i=CCPT:KP:PD4711234',
}));

const index: ListNameIndex = {
  listId: 'jp-mof',
  listVersion: 'v1',
  index: new NameSearchIndex([...buildNameIndex(listed).fields.values()].flat()),
};

function transfer(patch: Record<string, unknown>): ScreenableTransfer {
  const raw = {
    type: 'exchange-transfer',
    eventId: 'ex-1',
    exchangeId: 'jp-exchange-1',
    direction: 'withdrawal',
    occurredAt: '2026-03-15T09:30:00+09:00',
    account: { id: 'acct-1', residency: 'JP', kind: 'individual' },
    chain: 'bitcoin',
    asset: 'BTC',
    amount: '0.5',
    address: '3Lpoy53K625zVeE47ZasiG5jGkAxJ27kh1',
    counterparty: { walletType: 'hosted' },
    ...patch,
  };
  const result = decodeInput(Buffer.from(JSON.stringify(raw)), 'exchange-transfer');
  if (!result.ok) throw new Error(result.detail);
  return { kind: 'exchange-transfer', event: result.value, chain: 'bitcoin', addresses: [] };
}

/** A withdrawal whose travel-rule originator is the account holder, as given. */
function withOriginator(person: Record<string, unknown>): ScreenableTransfer {
  return transfer({
    travelRule: {
      originator: { originatorPersons: [{ naturalPerson: person }] },
      beneficiary: { beneficiaryPersons: [SOMEONE] },
    },
  });
}

const SOMEONE = {
  naturalPerson: {
    name: {
      nameIdentifier: [
        { primaryIdentifier: 'SATO', secondaryIdentifier: 'HANAKO', nameIdentifierType: 'LEGL' },
      ],
    },
  },
};

const latin = (last: string, first: string) => ({
  nameIdentifier: [
    { primaryIdentifier: last, secondaryIdentifier: first, nameIdentifierType: 'LEGL' },
  ],
});

const matches = (t: ScreenableTransfer) =>
  matchTransferNames(transferNamesOf(t), [index], DEFAULT_NAME_THRESHOLDS);

describe('matchTransferNames', () => {
  it('matches a kanji name through the katakana reading that came with it', () => {
    const found = matches(
      transfer({
        account: {
          id: 'acct-1',
          residency: 'JP',
          kind: 'individual',
          name: '金英哲',
          nameKana: 'キム・ヨンチョル',
        },
      }),
    );
    expect(found).toEqual([
      expect.objectContaining({
        entityId: '5-99',
        givenName: 'キム・ヨンチョル',
        nameSource: 'account.nameKana',
        score: 1,
        evidence: { birthDate: 'unknown', country: 'unknown', idNumber: 'unknown' },
      }),
    ]);
  });

  it('does not match the kanji name without its reading', () => {
    const account = { id: 'acct-1', residency: 'JP', kind: 'individual', name: '金英哲' };
    expect(matches(transfer({ account }))).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, number | null, string]>([
    ['no birth date: as before', {}, 1, 'unknown'],
    ['the listed birth date', { dateOfBirth: '1960-03-05' }, 1, 'agrees'],
    ['another birth date: a namesake, not held', { dateOfBirth: '1985-11-20' }, null, 'differs'],
  ])('an exact name with %s', (_, birth, score, verdict) => {
    const found = matches(
      withOriginator({
        name: latin('KIM', 'YONG CHOL'),
        ...(birth.dateOfBirth ? { dateAndPlaceOfBirth: { ...birth, placeOfBirth: 'X' } } : {}),
      }),
    );
    if (score === null) {
      expect(found).toEqual([]);
      return;
    }
    expect(found).toHaveLength(1);
    expect(found[0].score).toBe(score);
    expect(found[0].evidence?.birthDate).toBe(verdict);
    expect(found[0].nameSource).toBe(
      'travelRule.originator.originatorPersons[0].naturalPerson.name.nameIdentifier[0]',
    );
  });

  it('makes a misspelt name with the listed passport number a certain match', () => {
    const person = {
      name: latin('KIMM', 'YONG CHUL'),
      nationalIdentification: {
        nationalIdentifier: 'PD 471 1234',
        nationalIdentifierType: 'CCPT',
        countryOfIssue: 'KP',
      },
    };
    // The name alone is too far from the listed one to be held.
    expect(matches(withOriginator({ name: person.name }))).toEqual([]);
    const found = matches(withOriginator(person));
    expect(found).toEqual([
      expect.objectContaining({
        entityId: '5-99',
        score: 1,
        evidence: { birthDate: 'unknown', country: 'agrees', idNumber: 'agrees' },
      }),
    ]);
    // The same number issued by another country is another document.
    const other = {
      ...person,
      nationalIdentification: { ...person.nationalIdentification, countryOfIssue: 'CN' },
    };
    expect(matches(withOriginator(other))).toEqual([]);
  });

  it('leaves events without travel-rule data as they were: no nameSource, no evidence', () => {
    const account = { id: 'acct-1', residency: 'JP', kind: 'individual', name: 'KIM YONG CHOL' };
    const [found] = matches(transfer({ account }));
    expect(found).not.toHaveProperty('nameSource');
    expect(found).not.toHaveProperty('evidence');
    expect(found.score).toBe(1);
  });
});

describe('travelRuleVerdict', () => {
  const event = (patch: Record<string, unknown>): ExchangeTransfer =>
    (transfer(patch) as { event: ExchangeTransfer }).event;
  const toSingapore = {
    travelRule: {
      originator: { originatorPersons: [SOMEONE] },
      beneficiary: { beneficiaryPersons: [SOMEONE] },
      beneficiaryVASP: {
        beneficiaryVASP: {
          legalPerson: {
            name: {
              nameIdentifier: [
                { legalPersonName: 'SG Exchange Pte', legalPersonNameIdentifierType: 'LEGL' },
              ],
            },
            countryOfRegistration: 'SG',
          },
        },
      },
    },
  };

  it('takes the VASP country from the record, as a known Singapore VASP gives it, and says so', () => {
    const filled = travelRuleVerdict(event(toSingapore), 'JP');
    const known = crossBorderVerdict(
      event({ counterparty: { walletType: 'hosted', vaspCountry: 'SG' } }),
      'JP',
    );
    expect(filled.crossBorder).toBe(known.crossBorder);
    expect(filled.destination).toBe(known.destination);
    expect(filled.reasons.at(-1)).toBe(
      "The counterparty's VASP country SG comes from the travel-rule record (travelRule.beneficiaryVASP.beneficiaryVASP.legalPerson.countryOfRegistration).",
    );
  });

  it("keeps the event's own VASP country", () => {
    const own = event({
      ...toSingapore,
      counterparty: { walletType: 'hosted', vaspCountry: 'JP' },
    });
    expect(travelRuleVerdict(own, 'JP')).toEqual(crossBorderVerdict(own, 'JP'));
  });
});

describe('id numbers without a listed holder', () => {
  it("does not work out the name's forms when no number is listed", () => {
    let asked = 0;
    const forms = () => {
      asked += 1;
      return null;
    };
    expect(index.index.searchIdNumbers(forms, ['XX000000000'])).toEqual([]);
    expect(asked).toBe(0);
    expect(index.index.searchIdNumbers(forms, ['PD4711234']).map((c) => c.stored.entityId)).toEqual(
      ['5-99'],
    );
    expect(asked).toBe(1);
  });
});

describe('hasNamesToScreen', () => {
  const onchain = { ...transfer({}), kind: 'onchain-transfer' } as unknown as ScreenableTransfer;
  const cases: Array<[string, ScreenableTransfer]> = [
    ['no name at all', transfer({})],
    [
      "the holder's name",
      transfer({ account: { id: 'a', residency: 'JP', kind: 'individual', name: '佐藤 花子' } }),
    ],
    ['a blank counterparty name', transfer({ counterparty: { walletType: 'hosted', name: ' ' } })],
    [
      'a reading alone',
      transfer({
        account: { id: 'a', residency: 'JP', kind: 'individual', nameKana: 'サトウ ハナコ' },
      }),
    ],
    ['travel-rule data', withOriginator({ name: latin('KIM', 'YONG CHOL') })],
    ['an on-chain transfer', onchain],
  ];

  it.each(cases)('never says no where a name is screened: %s', (_, t) => {
    expect(hasNamesToScreen(t) || transferNamesOf(t).length === 0).toBe(true);
  });

  it('says no without names, and for on-chain transfers', () => {
    expect(hasNamesToScreen(transfer({}))).toBe(false);
    expect(hasNamesToScreen(onchain)).toBe(false);
    expect(hasNamesToScreen(cases[1][1])).toBe(true);
    expect(hasNamesToScreen(cases[4][1])).toBe(true);
  });
});
