/** Valid events, as producers write them, for the contract's own specs. */
export const VALID_ONCHAIN = {
  type: 'onchain-transfer',
  eventId: 'evt-1',
  chain: 'ethereum',
  txHash: '0xabc',
  index: 0,
  blockTime: '2026-03-15T09:30:00Z',
  from: ['0x0000000000000000000000000000000000000001'],
  to: '0x7FF9cFad3877F21d41Da833E2F775dB0569eE3D9',
  asset: 'USDT',
  amount: '1000.5',
} as const;

export const VALID_EXCHANGE = {
  type: 'exchange-transfer',
  eventId: 'ex-1',
  exchangeId: 'jp-exchange-1',
  direction: 'withdrawal',
  occurredAt: '2026-03-15T09:30:00+09:00',
  account: { id: 'acct-1', residency: 'JP', kind: 'individual' },
  chain: 'bitcoin',
  asset: 'BTC',
  amount: '0.5',
  valueJpy: '7500000',
  address: '3Lpoy53K625zVeE47ZasiG5jGkAxJ27kh1',
  counterparty: { walletType: 'hosted', vaspCountry: 'SG' },
} as const;

export const bytes = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

/** An IVMS101 record as a Japanese exchange sends it with a withdrawal to a Singapore VASP. */
export const VALID_TRAVEL_RULE = {
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
            ],
            localNameIdentifier: [
              {
                primaryIdentifier: '山田',
                secondaryIdentifier: '太郎',
                nameIdentifierType: 'LEGL',
              },
            ],
            phoneticNameIdentifier: [
              {
                primaryIdentifier: 'ヤマダ',
                secondaryIdentifier: 'タロウ',
                nameIdentifierType: 'LEGL',
              },
            ],
          },
          geographicAddress: [
            {
              addressType: 'HOME',
              addressLine: ['1-1 Chiyoda', 'Chiyoda-ku, Tokyo'],
              country: 'JP',
            },
          ],
          nationalIdentification: {
            nationalIdentifier: 'TK1234567',
            nationalIdentifierType: 'CCPT',
            countryOfIssue: 'JP',
          },
          customerIdentification: 'acct-1',
          dateAndPlaceOfBirth: { dateOfBirth: '1960-01-01', placeOfBirth: 'Tokyo' },
          countryOfResidence: 'JP',
        },
      },
    ],
    accountNumber: ['acct-1'],
  },
  beneficiary: {
    beneficiaryPersons: [
      {
        naturalPerson: {
          name: {
            nameIdentifier: [
              {
                primaryIdentifier: 'TAN',
                secondaryIdentifier: 'WEI MING',
                nameIdentifierType: 'LEGL',
              },
              {
                primaryIdentifier: 'TAN',
                secondaryIdentifier: 'DAVID',
                nameIdentifierType: 'ALIA',
              },
            ],
          },
          countryOfResidence: 'SG',
        },
      },
    ],
    accountNumber: ['3Lpoy53K625zVeE47ZasiG5jGkAxJ27kh1'],
  },
  originatingVASP: {
    originatingVASP: {
      legalPerson: {
        name: {
          nameIdentifier: [
            { legalPersonName: 'Example Exchange KK', legalPersonNameIdentifierType: 'LEGL' },
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
        },
        nationalIdentification: {
          nationalIdentifier: '5493001KJTIIGC8Y1R12',
          nationalIdentifierType: 'LEIX',
        },
        countryOfRegistration: 'SG',
      },
    },
  },
} as const;
