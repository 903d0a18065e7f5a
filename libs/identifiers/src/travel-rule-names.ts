import type {
  ExchangeTransfer,
  Ivms101Person,
  LegalPersonNameId,
  NationalIdentification,
  NaturalPersonNameId,
  TravelRule,
} from '@sekimori/contracts';
import { PartyIdentifiers } from './evidence';
import { IdNumber, normaliseIdNumber } from './id-number';

export type NameOf = 'account' | 'counterparty';
export type NameScript = 'name' | 'local' | 'phonetic';

/** One name to screen, with where it came from: NAME_MATCH's `givenName` and `nameSource`. */
export interface ScreenedName {
  name: string;
  nameOf: NameOf;
  /** The field or IVMS101 identifier, as a path into the event (`account.nameKana`, ...). */
  nameSource: string;
  /** IVMS101's name type (LEGL, ALIA, BIRT, MAID, MISC; SHRT, TRAD for legal persons). */
  nameType?: string;
  script: NameScript;
  person: 'natural' | 'legal' | 'unknown';
  /** For a reading: the `nameSource` of the local (kanji) name it reads. */
  readingOf?: string;
  /** The secondary identifiers of the party that bears the name, where one party can be told. */
  party?: PartyIdentifiers;
}

type Side = 'originator' | 'beneficiary';

/** Which IVMS101 side is the exchange's customer (`account`) and which the counterparty. */
function sides(event: ExchangeTransfer): Record<NameOf, Side> {
  return event.direction === 'deposit'
    ? { account: 'beneficiary', counterparty: 'originator' }
    : { account: 'originator', counterparty: 'beneficiary' };
}

function personsOf(rule: TravelRule, side: Side): { path: string; persons: Ivms101Person[] } {
  return side === 'originator'
    ? {
        path: 'travelRule.originator.originatorPersons',
        persons: rule.originator.originatorPersons,
      }
    : {
        path: 'travelRule.beneficiary.beneficiaryPersons',
        persons: rule.beneficiary.beneficiaryPersons,
      };
}

const LISTS = ['nameIdentifier', 'localNameIdentifier', 'phoneticNameIdentifier'] as const;
const SCRIPT: Record<(typeof LISTS)[number], NameScript> = {
  nameIdentifier: 'name',
  localNameIdentifier: 'local',
  phoneticNameIdentifier: 'phonetic',
};

/**
 * A natural person's name as one string. Latin names given name first, as the lists write them;
 * local and phonetic (East Asian) names family name first, as Japanese is written.
 */
function naturalName(id: NaturalPersonNameId, script: NameScript): string {
  const parts =
    script === 'name'
      ? [id.secondaryIdentifier, id.primaryIdentifier]
      : [id.primaryIdentifier, id.secondaryIdentifier];
  return parts
    .filter((p): p is string => p !== undefined && p.trim() !== '')
    .join(' ')
    .trim();
}

/** Each local name with the phonetic identifier of the same type (else the same place). */
function readings(
  local: readonly { nameIdentifierType?: string; legalPersonNameIdentifierType?: string }[],
  phonetic: readonly { nameIdentifierType?: string; legalPersonNameIdentifierType?: string }[],
): Map<number, number> {
  const typeOf = (n: { nameIdentifierType?: string; legalPersonNameIdentifierType?: string }) =>
    n.nameIdentifierType ?? n.legalPersonNameIdentifierType;
  const out = new Map<number, number>();
  const used = new Set<number>();
  local.forEach((name, i) => {
    let j = phonetic.findIndex((p, k) => !used.has(k) && typeOf(p) === typeOf(name));
    if (j < 0 && i < phonetic.length && !used.has(i)) j = i;
    if (j >= 0) {
      out.set(i, j);
      used.add(j);
    }
  });
  return out;
}

function idOf(national: NationalIdentification | undefined): IdNumber[] {
  if (national === undefined) return [];
  const number = normaliseIdNumber(national.nationalIdentifier);
  if (number === '') return [];
  return [
    {
      number,
      type: national.nationalIdentifierType,
      ...(national.countryOfIssue ? { country: national.countryOfIssue } : {}),
    },
  ];
}

/** A travel-rule person's birth date, countries and identification numbers. */
export function partyIdentifiers(person: Ivms101Person): PartyIdentifiers {
  const natural = person.naturalPerson;
  const legal = person.legalPerson;
  const national = natural?.nationalIdentification ?? legal?.nationalIdentification;
  const countries = [
    natural?.countryOfResidence,
    legal?.countryOfRegistration,
    // A passport's or identity card's issuer is the holder's nationality, as the lists record it.
    national && ['CCPT', 'IDCD'].includes(national.nationalIdentifierType)
      ? national.countryOfIssue
      : undefined,
  ].filter((c): c is string => c !== undefined);
  const birthDate = natural?.dateAndPlaceOfBirth?.dateOfBirth;
  return {
    ...(birthDate ? { birthDate } : {}),
    countries: [...new Set(countries)],
    ids: idOf(national),
  };
}

function personNames(person: Ivms101Person, path: string, nameOf: NameOf): ScreenedName[] {
  const out: ScreenedName[] = [];
  const party = partyIdentifiers(person);
  const natural = person.naturalPerson;
  const legal = person.legalPerson;
  const kind = natural ? 'naturalPerson' : 'legalPerson';
  const name = natural?.name ?? legal?.name;
  if (name === undefined) return out;
  const local = name.localNameIdentifier ?? [];
  const phonetic = name.phoneticNameIdentifier ?? [];
  const readOf = new Map([...readings(local, phonetic)].map(([l, p]) => [p, l]));
  for (const list of LISTS) {
    const ids = (name[list] ?? []) as Array<NaturalPersonNameId | LegalPersonNameId>;
    ids.forEach((id, i) => {
      const script = SCRIPT[list];
      const text = 'legalPersonName' in id ? id.legalPersonName.trim() : naturalName(id, script);
      if (text === '') return;
      const local = script === 'phonetic' ? readOf.get(i) : undefined;
      out.push({
        name: text,
        nameOf,
        nameSource: `${path}.${kind}.name.${list}[${i}]`,
        nameType:
          'legalPersonName' in id ? id.legalPersonNameIdentifierType : id.nameIdentifierType,
        script,
        person: natural ? 'natural' : 'legal',
        ...(local !== undefined
          ? { readingOf: `${path}.${kind}.name.localNameIdentifier[${local}]` }
          : {}),
        party,
      });
    });
  }
  return out;
}

/** The counterparty's VASP in the record: the beneficiary's on a withdrawal, else the originator's. */
function counterpartyVasp(
  rule: TravelRule,
  event: ExchangeTransfer,
): { path: string; person: Ivms101Person } | undefined {
  if (event.direction === 'deposit') {
    const person = rule.originatingVASP?.originatingVASP;
    return person && { path: 'travelRule.originatingVASP.originatingVASP', person };
  }
  const person = rule.beneficiaryVASP?.beneficiaryVASP;
  return person && { path: 'travelRule.beneficiaryVASP.beneficiaryVASP', person };
}

/**
 * Every name an exchange transfer gives, per side, to screen: the event's `name` and `nameKana`
 * fields, each name identifier of each travel-rule person (legal, alias, birth, maiden, ...; local
 * names and their phonetic readings), and the counterparty VASP's names. A kana reading names the
 * local (kanji) name it reads: a kanji name has many readings, and the one the customer gave is
 * what a katakana or Latin listing is matched through. The same name from two places is screened
 * once, under its first source. The event's own names carry the travel-rule party's identifiers
 * when that side has exactly one person.
 */
export function namesToScreen(event: ExchangeTransfer): ScreenedName[] {
  const rule = event.travelRule;
  const side = sides(event);
  const out: ScreenedName[] = [];
  for (const nameOf of ['account', 'counterparty'] as const) {
    const holder = nameOf === 'account' ? event.account : event.counterparty;
    const persons = rule ? personsOf(rule, side[nameOf]) : undefined;
    const only = persons?.persons.length === 1 ? persons.persons[0] : undefined;
    const party = only ? { party: partyIdentifiers(only) } : {};
    const person =
      nameOf === 'account'
        ? event.account.kind === 'corporate'
          ? 'legal'
          : 'natural'
        : only?.legalPerson
          ? 'legal'
          : only?.naturalPerson
            ? 'natural'
            : 'unknown';
    if (holder.name !== undefined) {
      out.push({
        name: holder.name,
        nameOf,
        nameSource: `${nameOf}.name`,
        script: 'name',
        person,
        ...party,
      });
    }
    if (holder.nameKana !== undefined) {
      out.push({
        // Half-width katakana (ﾔﾏﾀﾞ) read as full-width (ヤマダ), as the lists write it.
        name: holder.nameKana.normalize('NFKC').replace(/\s+/g, ' ').trim(),
        nameOf,
        nameSource: `${nameOf}.nameKana`,
        script: 'phonetic',
        person,
        ...(holder.name !== undefined ? { readingOf: `${nameOf}.name` } : {}),
        ...party,
      });
    }
    if (persons) {
      persons.persons.forEach((p, i) =>
        out.push(...personNames(p, `${persons.path}[${i}]`, nameOf)),
      );
    }
    if (rule && nameOf === 'counterparty') {
      const vasp = counterpartyVasp(rule, event);
      if (vasp) out.push(...personNames(vasp.person, vasp.path, nameOf));
    }
  }
  const seen = new Set<string>();
  return out.filter((n) => {
    const key = `${n.nameOf}\u0000${n.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A value the travel-rule record supplies for a field the event lacks, and from where. */
export interface Supplied {
  country: string;
  source: string;
}

/**
 * The counterparty's residency and VASP country from the travel-rule record, where the event lacks
 * them (FEFTA's cross-border verdicts need both): the counterparty persons' country of residence
 * (registration, for a legal person) when they all agree, and the counterparty VASP's country of
 * registration. The event's own values always win.
 */
export function suppliedByTravelRule(event: ExchangeTransfer): {
  residency?: Supplied;
  vaspCountry?: Supplied;
} {
  const rule = event.travelRule;
  if (rule === undefined) return {};
  const out: { residency?: Supplied; vaspCountry?: Supplied } = {};
  if (event.counterparty.residency === undefined) {
    const { path, persons } = personsOf(rule, sides(event).counterparty);
    const found = persons.map((p, i) =>
      p.naturalPerson?.countryOfResidence !== undefined
        ? {
            country: p.naturalPerson.countryOfResidence,
            source: `${path}[${i}].naturalPerson.countryOfResidence`,
          }
        : p.legalPerson?.countryOfRegistration !== undefined
          ? {
              country: p.legalPerson.countryOfRegistration,
              source: `${path}[${i}].legalPerson.countryOfRegistration`,
            }
          : undefined,
    );
    const first = found[0];
    if (first && found.every((f) => f?.country === first.country)) out.residency = first;
  }
  if (event.counterparty.vaspCountry === undefined) {
    const vasp = counterpartyVasp(rule, event);
    const country = vasp?.person.legalPerson?.countryOfRegistration;
    if (vasp && country !== undefined) {
      out.vaspCountry = { country, source: `${vasp.path}.legalPerson.countryOfRegistration` };
    }
  }
  return out;
}
