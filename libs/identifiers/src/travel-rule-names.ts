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
const WITHDRAWAL_SIDES: Readonly<Record<NameOf, Side>> = {
  account: 'originator',
  counterparty: 'beneficiary',
};
const DEPOSIT_SIDES: Readonly<Record<NameOf, Side>> = {
  account: 'beneficiary',
  counterparty: 'originator',
};
const sides = (event: ExchangeTransfer) =>
  event.direction === 'deposit' ? DEPOSIT_SIDES : WITHDRAWAL_SIDES;

const PERSONS_PATH: Readonly<Record<Side, string>> = {
  originator: 'travelRule.originator.originatorPersons',
  beneficiary: 'travelRule.beneficiary.beneficiaryPersons',
};

function personsOf(rule: TravelRule, side: Side): Ivms101Person[] {
  return side === 'originator'
    ? rule.originator.originatorPersons
    : rule.beneficiary.beneficiaryPersons;
}

/** The event's own name fields, as NAME_MATCH's `nameSource` names them. */
const FIELD_SOURCES: Readonly<Record<NameOf, { name: string; nameKana: string }>> = {
  account: { name: 'account.name', nameKana: 'account.nameKana' },
  counterparty: { name: 'counterparty.name', nameKana: 'counterparty.nameKana' },
};

const LISTS = ['nameIdentifier', 'localNameIdentifier', 'phoneticNameIdentifier'] as const;
type NameList = (typeof LISTS)[number];
const SCRIPT: Record<NameList, NameScript> = {
  nameIdentifier: 'name',
  localNameIdentifier: 'local',
  phoneticNameIdentifier: 'phonetic',
};

/**
 * A name from an IVMS101 person. Its `nameSource` and `readingOf` paths are written only when
 * read: an event carries a dozen names, and only a name that matches puts its path in an alert.
 */
class RecordName implements ScreenedName {
  constructor(
    readonly name: string,
    readonly nameOf: NameOf,
    readonly nameType: string,
    readonly script: NameScript,
    readonly person: 'natural' | 'legal',
    readonly party: PartyIdentifiers,
    /** The person's path: `travelRule....Persons[i]`, or the VASP's. */
    private readonly personPath: string,
    private readonly list: NameList,
    private readonly at: number,
    /** The place of the local name this reading reads, or -1. */
    private readonly reads: number,
  ) {}

  private namePath(): string {
    return `${this.personPath}.${this.person === 'natural' ? 'naturalPerson' : 'legalPerson'}.name`;
  }

  get nameSource(): string {
    return `${this.namePath()}.${this.list}[${this.at}]`;
  }

  get readingOf(): string | undefined {
    return this.reads < 0 ? undefined : `${this.namePath()}.localNameIdentifier[${this.reads}]`;
  }
}

/** A non-blank part of a name, as given (a blank one is left out). */
const given = (part: string | undefined): part is string =>
  part !== undefined && part.trim() !== '';

/**
 * A natural person's name as one string. Latin names given name first, as the lists write them;
 * local and phonetic (East Asian) names family name first, as Japanese is written.
 */
function naturalName(id: NaturalPersonNameId, script: NameScript): string {
  const [first, second] =
    script === 'name'
      ? [id.secondaryIdentifier, id.primaryIdentifier]
      : [id.primaryIdentifier, id.secondaryIdentifier];
  const joined = given(first) ? (given(second) ? `${first} ${second}` : first) : second;
  return given(joined) ? joined.trim() : '';
}

type TypedName = { nameIdentifierType?: string; legalPersonNameIdentifierType?: string };
const typeOf = (n: TypedName) => n.nameIdentifierType ?? n.legalPersonNameIdentifierType;

/**
 * For each phonetic name, the place of the local name it reads, or -1: each local name takes the
 * first unused reading of its type, else the reading in its own place.
 */
function readings(local: readonly TypedName[], phonetic: readonly TypedName[]): number[] {
  const localOf = new Array<number>(phonetic.length).fill(-1);
  for (let i = 0; i < local.length; i++) {
    let j = -1;
    for (let k = 0; k < phonetic.length && j < 0; k++) {
      if (localOf[k] < 0 && typeOf(phonetic[k]) === typeOf(local[i])) j = k;
    }
    if (j < 0 && i < phonetic.length && localOf[i] < 0) j = i;
    if (j >= 0) localOf[j] = i;
  }
  return localOf;
}

function idOf(national: NationalIdentification | undefined): IdNumber[] {
  if (national === undefined) return [];
  const number = normaliseIdNumber(national.nationalIdentifier);
  if (number === '') return [];
  const id: IdNumber = { number, type: national.nationalIdentifierType };
  if (national.countryOfIssue) id.country = national.countryOfIssue;
  return [id];
}

// A passport's or identity card's issuer is the holder's nationality, as the lists record it.
const NATIONALITY_DOCUMENTS = new Set(['CCPT', 'IDCD']);

/** A travel-rule person's birth date, countries and identification numbers. */
export function partyIdentifiers(person: Ivms101Person): PartyIdentifiers {
  const natural = person.naturalPerson;
  const legal = person.legalPerson;
  const national = natural?.nationalIdentification ?? legal?.nationalIdentification;
  const countries: string[] = [];
  const add = (country: string | undefined) => {
    if (country !== undefined && !countries.includes(country)) countries.push(country);
  };
  add(natural?.countryOfResidence);
  add(legal?.countryOfRegistration);
  if (national && NATIONALITY_DOCUMENTS.has(national.nationalIdentifierType)) {
    add(national.countryOfIssue);
  }
  const birthDate = natural?.dateAndPlaceOfBirth?.dateOfBirth;
  return birthDate
    ? { birthDate, countries, ids: idOf(national) }
    : { countries, ids: idOf(national) };
}

/** Adds the name unless the same side already gives it: screened once, under its first source. */
function addName(out: ScreenedName[], name: ScreenedName): void {
  for (const seen of out) if (seen.nameOf === name.nameOf && seen.name === name.name) return;
  out.push(name);
}

function addPersonNames(
  out: ScreenedName[],
  person: Ivms101Person,
  personPath: string,
  party: PartyIdentifiers,
  nameOf: NameOf,
): void {
  const natural = person.naturalPerson;
  const legal = person.legalPerson;
  const name = natural?.name ?? legal?.name;
  if (name === undefined) return;
  const phonetic = name.phoneticNameIdentifier;
  const reads =
    phonetic && phonetic.length > 0 ? readings(name.localNameIdentifier ?? [], phonetic) : [];
  for (const list of LISTS) {
    const ids = (name[list] ?? []) as Array<NaturalPersonNameId | LegalPersonNameId>;
    const script = SCRIPT[list];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      const legalName = 'legalPersonName' in id;
      const text = legalName ? id.legalPersonName.trim() : naturalName(id, script);
      if (text === '') continue;
      const type = legalName ? id.legalPersonNameIdentifierType : id.nameIdentifierType;
      const reading = list === 'phoneticNameIdentifier' ? (reads[i] ?? -1) : -1;
      const kind = natural ? 'natural' : 'legal';
      addName(
        out,
        new RecordName(text, nameOf, type, script, kind, party, personPath, list, i, reading),
      );
    }
  }
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
    const persons = rule ? personsOf(rule, side[nameOf]) : [];
    // Each person's identifiers, worked out once for all its names.
    const parties = persons.map(partyIdentifiers);
    const only = persons.length === 1 ? persons[0] : undefined;
    const party = only ? parties[0] : undefined;
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
    const sources = FIELD_SOURCES[nameOf];
    if (holder.name !== undefined) {
      addName(out, {
        name: holder.name,
        nameOf,
        nameSource: sources.name,
        script: 'name',
        person,
        party,
      });
    }
    if (holder.nameKana !== undefined) {
      addName(out, {
        // Half-width katakana (ﾔﾏﾀﾞ) read as full-width (ヤマダ), as the lists write it.
        name: holder.nameKana.normalize('NFKC').replace(/\s+/g, ' ').trim(),
        nameOf,
        nameSource: sources.nameKana,
        script: 'phonetic',
        person,
        readingOf: holder.name !== undefined ? sources.name : undefined,
        party,
      });
    }
    for (let i = 0; i < persons.length; i++) {
      addPersonNames(out, persons[i], `${PERSONS_PATH[side[nameOf]]}[${i}]`, parties[i], nameOf);
    }
    if (rule && nameOf === 'counterparty') {
      const vasp = counterpartyVasp(rule, event);
      if (vasp) addPersonNames(out, vasp.person, vasp.path, partyIdentifiers(vasp.person), nameOf);
    }
  }
  return out;
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
    const side = sides(event).counterparty;
    const persons = personsOf(rule, side);
    const country = countryOf(persons[0]);
    if (country !== undefined && persons.every((p) => countryOf(p) === country)) {
      const field =
        persons[0].naturalPerson?.countryOfResidence !== undefined
          ? 'naturalPerson.countryOfResidence'
          : 'legalPerson.countryOfRegistration';
      out.residency = { country, source: `${PERSONS_PATH[side]}[0].${field}` };
    }
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

/** A person's country: of residence (natural), of registration (legal). */
function countryOf(person: Ivms101Person | undefined): string | undefined {
  return person?.naturalPerson?.countryOfResidence ?? person?.legalPerson?.countryOfRegistration;
}
