import { decodeInput, ExchangeTransfer } from '@sekimori/contracts';
import { namesToScreen, suppliedByTravelRule } from './travel-rule-names';

// Built through the decoder, so that the inputs are what the screener receives.
const base = {
  type: 'exchange-transfer',
  eventId: 'ex-1',
  exchangeId: 'jp-exchange-1',
  direction: 'withdrawal',
  occurredAt: '2026-03-15T09:30:00+09:00',
  account: { id: 'acct-1', residency: 'JP', kind: 'individual', name: '山田太郎' },
  chain: 'bitcoin',
  asset: 'BTC',
  amount: '0.5',
  address: '3Lpoy53K625zVeE47ZasiG5jGkAxJ27kh1',
  counterparty: { walletType: 'hosted' },
};

const natural = (extra: Record<string, unknown>) => ({
  naturalPerson: {
    name: {
      nameIdentifier: [
        { primaryIdentifier: 'TAN', secondaryIdentifier: 'WEI', nameIdentifierType: 'LEGL' },
      ],
    },
    ...extra,
  },
});

const rule = {
  originator: {
    originatorPersons: [
      {
        naturalPerson: {
          name: {
            nameIdentifier: [
              {
                primaryIdentifier: 'YAMADA',
                secondaryIdentifier: 'TARO',
                nameIdentifierType: 'LEGL',
              },
              {
                primaryIdentifier: 'YAMADA',
                secondaryIdentifier: 'TARO',
                nameIdentifierType: 'ALIA',
              },
            ],
            localNameIdentifier: [
              {
                primaryIdentifier: '山田',
                secondaryIdentifier: '太郎',
                nameIdentifierType: 'LEGL',
              },
              {
                primaryIdentifier: '佐藤',
                secondaryIdentifier: '花子',
                nameIdentifierType: 'BIRT',
              },
            ],
            phoneticNameIdentifier: [
              {
                primaryIdentifier: 'サトウ',
                secondaryIdentifier: 'ハナコ',
                nameIdentifierType: 'BIRT',
              },
              {
                primaryIdentifier: 'ヤマダ',
                secondaryIdentifier: 'タロウ',
                nameIdentifierType: 'LEGL',
              },
            ],
          },
          dateAndPlaceOfBirth: { dateOfBirth: '1960-01-01' },
          countryOfResidence: 'JP',
          nationalIdentification: {
            nationalIdentifier: 'TK-123 456',
            nationalIdentifierType: 'CCPT',
            countryOfIssue: 'JP',
          },
        },
      },
    ],
  },
  beneficiary: {
    beneficiaryPersons: [
      natural({ countryOfResidence: 'SG', dateAndPlaceOfBirth: { dateOfBirth: '1971-02-03' } }),
    ],
  },
  originatingVASP: {
    originatingVASP: {
      legalPerson: {
        name: {
          nameIdentifier: [
            { legalPersonName: 'Example KK', legalPersonNameIdentifierType: 'LEGL' },
          ],
        },
        countryOfRegistration: 'JP',
      },
    },
  },
  beneficiaryVASP: {
    beneficiaryVASP: {
      legalPerson: {
        name: {
          nameIdentifier: [
            { legalPersonName: 'Lion Digital Pte Ltd', legalPersonNameIdentifierType: 'LEGL' },
          ],
          localNameIdentifier: [
            { legalPersonName: '獅子数字', legalPersonNameIdentifierType: 'LEGL' },
          ],
        },
        countryOfRegistration: 'SG',
      },
    },
  },
};

function event(patch: Record<string, unknown>): ExchangeTransfer {
  const result = decodeInput(
    Buffer.from(JSON.stringify({ ...base, ...patch })),
    'exchange-transfer',
  );
  if (!result.ok) throw new Error(result.detail);
  return result.value;
}

const ORG = 'travelRule.originator.originatorPersons[0].naturalPerson.name';

describe('namesToScreen', () => {
  it('gives the event names alone when there is no travel-rule record', () => {
    const names = namesToScreen(event({ account: { ...base.account, nameKana: 'ﾔﾏﾀﾞ ﾀﾛｳ' } }));
    expect(names.map((n) => [n.name, n.nameOf, n.nameSource, n.readingOf])).toEqual([
      ['山田太郎', 'account', 'account.name', undefined],
      ['ヤマダ タロウ', 'account', 'account.nameKana', 'account.name'],
    ]);
    expect(names[0].party).toBeUndefined();
  });

  it('gives every name of a withdrawal, with its source, its type and the reading it is', () => {
    const names = namesToScreen(event({ travelRule: rule }));
    expect(names.map((n) => [n.nameOf, n.name, n.nameSource, n.nameType, n.readingOf])).toEqual([
      ['account', '山田太郎', 'account.name', undefined, undefined],
      ['account', 'TARO YAMADA', `${ORG}.nameIdentifier[0]`, 'LEGL', undefined],
      // The alias spells the same name: screened once, under the first source.
      ['account', '山田 太郎', `${ORG}.localNameIdentifier[0]`, 'LEGL', undefined],
      ['account', '佐藤 花子', `${ORG}.localNameIdentifier[1]`, 'BIRT', undefined],
      // Readings are paired with local names by type, not by place.
      [
        'account',
        'サトウ ハナコ',
        `${ORG}.phoneticNameIdentifier[0]`,
        'BIRT',
        `${ORG}.localNameIdentifier[1]`,
      ],
      [
        'account',
        'ヤマダ タロウ',
        `${ORG}.phoneticNameIdentifier[1]`,
        'LEGL',
        `${ORG}.localNameIdentifier[0]`,
      ],
      [
        'counterparty',
        'WEI TAN',
        'travelRule.beneficiary.beneficiaryPersons[0].naturalPerson.name.nameIdentifier[0]',
        'LEGL',
        undefined,
      ],
      [
        'counterparty',
        'Lion Digital Pte Ltd',
        'travelRule.beneficiaryVASP.beneficiaryVASP.legalPerson.name.nameIdentifier[0]',
        'LEGL',
        undefined,
      ],
      [
        'counterparty',
        '獅子数字',
        'travelRule.beneficiaryVASP.beneficiaryVASP.legalPerson.name.localNameIdentifier[0]',
        'LEGL',
        undefined,
      ],
    ]);
  });

  it("carries each party's identifiers, the event's own names included when one person is that side", () => {
    const names = namesToScreen(event({ travelRule: rule }));
    const yamada = {
      birthDate: '1960-01-01',
      countries: ['JP'],
      ids: [{ number: 'TK123456', type: 'CCPT', country: 'JP' }],
    };
    expect(names[0].party).toEqual(yamada);
    expect(names[1].party).toEqual(yamada);
    expect(names.find((n) => n.name === 'WEI TAN')?.party).toEqual({
      birthDate: '1971-02-03',
      countries: ['SG'],
      ids: [],
    });
    expect(names.find((n) => n.name === 'Lion Digital Pte Ltd')).toMatchObject({
      person: 'legal',
      party: { countries: ['SG'] },
    });
  });

  it('reads a deposit the other way round: the originator is the counterparty', () => {
    const names = namesToScreen(event({ direction: 'deposit', travelRule: rule }));
    expect(names.filter((n) => n.nameOf === 'counterparty').map((n) => n.name)).toEqual([
      'TARO YAMADA',
      '山田 太郎',
      '佐藤 花子',
      'サトウ ハナコ',
      'ヤマダ タロウ',
      'Example KK',
    ]);
    expect(names.filter((n) => n.nameOf === 'account').map((n) => n.name)).toEqual([
      '山田太郎',
      'WEI TAN',
    ]);
  });

  it('gives the event names no party when a side has two persons', () => {
    const joint = {
      ...rule,
      originator: { originatorPersons: [...rule.originator.originatorPersons, natural({})] },
    };
    const names = namesToScreen(event({ travelRule: joint }));
    expect(names[0]).toMatchObject({ nameSource: 'account.name' });
    expect(names[0].party).toBeUndefined();
  });
});

describe('suppliedByTravelRule', () => {
  it("fills the counterparty's residency and VASP country the event lacks, saying from where", () => {
    expect(suppliedByTravelRule(event({ travelRule: rule }))).toEqual({
      residency: {
        country: 'SG',
        source: 'travelRule.beneficiary.beneficiaryPersons[0].naturalPerson.countryOfResidence',
      },
      vaspCountry: {
        country: 'SG',
        source: 'travelRule.beneficiaryVASP.beneficiaryVASP.legalPerson.countryOfRegistration',
      },
    });
  });

  it("never replaces the event's own values", () => {
    const own = event({
      travelRule: rule,
      counterparty: { walletType: 'hosted', vaspCountry: 'KR', residency: 'KR' },
    });
    expect(suppliedByTravelRule(own)).toEqual({});
  });

  it('reads a deposit from the originator side', () => {
    expect(suppliedByTravelRule(event({ direction: 'deposit', travelRule: rule }))).toEqual({
      residency: {
        country: 'JP',
        source: 'travelRule.originator.originatorPersons[0].naturalPerson.countryOfResidence',
      },
      vaspCountry: {
        country: 'JP',
        source: 'travelRule.originatingVASP.originatingVASP.legalPerson.countryOfRegistration',
      },
    });
  });

  it('supplies no residency when the counterparty persons disagree or give none', () => {
    const split = {
      ...rule,
      beneficiary: {
        beneficiaryPersons: [
          natural({ countryOfResidence: 'SG' }),
          natural({ countryOfResidence: 'MY' }),
        ],
      },
    };
    expect(suppliedByTravelRule(event({ travelRule: split })).residency).toBeUndefined();
    const none = {
      ...rule,
      beneficiary: { beneficiaryPersons: [natural({})] },
      beneficiaryVASP: undefined,
    };
    expect(suppliedByTravelRule(event({ travelRule: none }))).toEqual({});
    expect(suppliedByTravelRule(event({}))).toEqual({});
  });
});
