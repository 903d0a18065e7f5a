import { JAPANESE_NAME_PARTS } from './names';
import type { Rng } from './rng';

/*
 * The IVMS101 record a Japanese exchange sends or receives with a transfer to or from another
 * VASP (issue 20): the customer as originator (withdrawal) or beneficiary (deposit), with Latin,
 * kanji and katakana names, a birth date, residence and often a passport; the counterparty person;
 * and both VASPs. What production records cost the screener to decode and screen.
 */

type Vasp = readonly [id: string, name: string, country: string];

const legal = (name: string, country: string) => ({
  legalPerson: {
    name: { nameIdentifier: [{ legalPersonName: name, legalPersonNameIdentifierType: 'LEGL' }] },
    countryOfRegistration: country,
  },
});

function birthDate(rng: Rng): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${1945 + rng.int(60)}-${pad(1 + rng.int(12))}-${pad(1 + rng.int(28))}`;
}

/** A natural person as Japanese exchanges record one: three scripts, birth date, residence. */
function person(rng: Rng, residence: string) {
  const family = rng.pick(JAPANESE_NAME_PARTS.family);
  const given = rng.pick(JAPANESE_NAME_PARTS.given);
  const name = (i: number) => [
    { primaryIdentifier: family[i], secondaryIdentifier: given[i], nameIdentifierType: 'LEGL' },
  ];
  return {
    naturalPerson: {
      name: {
        nameIdentifier: name(3),
        localNameIdentifier: name(0),
        phoneticNameIdentifier: name(1),
      },
      dateAndPlaceOfBirth: { dateOfBirth: birthDate(rng), placeOfBirth: 'Tokyo' },
      countryOfResidence: residence,
      ...(rng.chance(0.5)
        ? {
            nationalIdentification: {
              nationalIdentifier: `T${String(rng.int(100_000_000)).padStart(8, '0')}`,
              nationalIdentifierType: 'CCPT',
              countryOfIssue: residence,
            },
          }
        : {}),
    },
  };
}

/** The record for a transfer between the reporting exchange and `other`, in its direction. */
export function travelRuleRecord(
  rng: Rng,
  direction: 'withdrawal' | 'deposit',
  residency: string,
  other: Vasp,
) {
  const ours = legal('Sekimori Test Exchange K.K.', 'JP');
  const theirs = legal(other[1], other[2]);
  const customer = { originatorPersons: [person(rng, residency)] };
  const counterpart = { beneficiaryPersons: [person(rng, rng.chance(0.9) ? other[2] : 'JP')] };
  const withdrawal = direction === 'withdrawal';
  return {
    originator: withdrawal ? customer : { originatorPersons: counterpart.beneficiaryPersons },
    beneficiary: withdrawal ? counterpart : { beneficiaryPersons: customer.originatorPersons },
    originatingVASP: { originatingVASP: withdrawal ? ours : theirs },
    beneficiaryVASP: { beneficiaryVASP: withdrawal ? theirs : ours },
  };
}
