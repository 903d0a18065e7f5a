// class-transformer's @Type reads design-time metadata.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  getMetadataStorage,
  IsArray,
  IsDefined,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Length,
  registerDecorator,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsCalendarDate, IsCountry } from './validators';

/*
 * The travel-rule message that comes with a transfer to or from another VASP, in the JSON form of
 * IVMS101 (interVASP Messaging Standard 101, 2020). Lengths and code lists are the standard's.
 * Where the standard requires a field that exchanges in practice may lack (place of birth, an
 * address's street), it is optional here: a missing detail must not stop a transfer from being
 * screened. Fields the standard defines that nothing here reads, and fields it does not define,
 * are dropped from the decoded value: they carry personal data that must not reach alerts or logs.
 */

export const NATURAL_NAME_TYPES = ['LEGL', 'ALIA', 'BIRT', 'MAID', 'MISC'] as const;
export type NaturalNameType = (typeof NATURAL_NAME_TYPES)[number];
export const LEGAL_NAME_TYPES = ['LEGL', 'SHRT', 'TRAD'] as const;
export type LegalNameType = (typeof LEGAL_NAME_TYPES)[number];
export const NATIONAL_ID_TYPES = [
  'ARNU', // alien registration number
  'CCPT', // passport number
  'RAID', // registration authority identifier
  'DRLC', // driver's licence number
  'FIIN', // foreign investment identity number
  'TXID', // tax identification number
  'SOCS', // social security number
  'IDCD', // identity card number
  'LEIX', // legal entity identifier
  'MISC',
] as const;
export type NationalIdType = (typeof NATIONAL_ID_TYPES)[number];
export const ADDRESS_TYPES = ['HOME', 'BIZZ', 'GEOG'] as const;

// Every name is screened, so the counts are bounded: a joint account has two or three holders, a
// person a handful of names. Beyond these the record is refused rather than screened in part.
export const MAX_TRAVEL_RULE_PERSONS = 4;
export const MAX_NAME_IDENTIFIERS = 8;
const MAX_ADDRESSES = 4;
const MAX_ADDRESS_LINES = 7;
const MAX_ACCOUNT_NUMBERS = 8;

/** Refuses the property when `other` is present too: a person is natural or legal, not both. */
function IsAbsentWith(other: string): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isAbsentWith',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `$property must not be given with ${other}` },
      validator: {
        validate: (value: unknown, args) =>
          value === undefined ||
          (args?.object as Record<string, unknown> | undefined)?.[other] === undefined,
      },
    });
  };
}

/** An optional array of nested records, min..max long. */
function NestedList(of: () => new () => object, min: number, max: number): PropertyDecorator {
  return (target: object, key: string | symbol) => {
    IsArray()(target, key);
    ArrayMinSize(min)(target, key);
    ArrayMaxSize(max)(target, key);
    ValidateNested({ each: true })(target, key);
    Type(of)(target, key);
  };
}

/** A required nested record. */
function Nested(of: () => new () => object): PropertyDecorator {
  return (target: object, key: string | symbol) => {
    IsDefined()(target, key);
    IsObject()(target, key);
    ValidateNested()(target, key);
    Type(of)(target, key);
  };
}

function Text(max: number): PropertyDecorator {
  return (target: object, key: string | symbol) => {
    IsString()(target, key);
    Length(1, max)(target, key);
  };
}

export class NaturalPersonNameId {
  /** The family name, or the whole name when it cannot be split. */
  @Text(100)
  primaryIdentifier!: string;

  /** The given names. */
  @IsOptional()
  @Text(100)
  secondaryIdentifier?: string;

  @IsIn(NATURAL_NAME_TYPES)
  nameIdentifierType!: NaturalNameType;
}

export class NaturalPersonName {
  @NestedList(() => NaturalPersonNameId, 1, MAX_NAME_IDENTIFIERS)
  nameIdentifier!: NaturalPersonNameId[];

  /** Names in the local script (kanji for a Japanese customer). */
  @IsOptional()
  @NestedList(() => NaturalPersonNameId, 0, MAX_NAME_IDENTIFIERS)
  localNameIdentifier?: NaturalPersonNameId[];

  /** How the local names are read (katakana for a Japanese customer). */
  @IsOptional()
  @NestedList(() => NaturalPersonNameId, 0, MAX_NAME_IDENTIFIERS)
  phoneticNameIdentifier?: NaturalPersonNameId[];
}

export class Ivms101Address {
  @IsIn(ADDRESS_TYPES)
  addressType!: (typeof ADDRESS_TYPES)[number];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ADDRESS_LINES)
  @IsString({ each: true })
  @Length(1, 70, { each: true })
  addressLine?: string[];

  @IsOptional()
  @Text(70)
  streetName?: string;

  @IsOptional()
  @Text(16)
  buildingNumber?: string;

  @IsOptional()
  @Text(35)
  buildingName?: string;

  @IsOptional()
  @Text(16)
  postCode?: string;

  @IsOptional()
  @Text(35)
  townName?: string;

  @IsOptional()
  @Text(35)
  countrySubDivision?: string;

  @IsCountry()
  country!: string;
}

export class NationalIdentification {
  @Text(35)
  nationalIdentifier!: string;

  @IsIn(NATIONAL_ID_TYPES)
  nationalIdentifierType!: NationalIdType;

  @IsOptional()
  @IsCountry()
  countryOfIssue?: string;

  /** GLEIF's registration authority code (RA followed by six digits), for RAID and LEIX. */
  @IsOptional()
  @Text(8)
  registrationAuthority?: string;
}

export class DateAndPlaceOfBirth {
  @IsCalendarDate()
  dateOfBirth!: string;

  @IsOptional()
  @Text(70)
  placeOfBirth?: string;
}

export class NaturalPerson {
  @Nested(() => NaturalPersonName)
  name!: NaturalPersonName;

  @IsOptional()
  @NestedList(() => Ivms101Address, 0, MAX_ADDRESSES)
  geographicAddress?: Ivms101Address[];

  @IsOptional()
  @Nested(() => NationalIdentification)
  nationalIdentification?: NationalIdentification;

  @IsOptional()
  @Text(50)
  customerIdentification?: string;

  @IsOptional()
  @Nested(() => DateAndPlaceOfBirth)
  dateAndPlaceOfBirth?: DateAndPlaceOfBirth;

  @IsOptional()
  @IsCountry()
  countryOfResidence?: string;
}

export class LegalPersonNameId {
  @Text(100)
  legalPersonName!: string;

  @IsIn(LEGAL_NAME_TYPES)
  legalPersonNameIdentifierType!: LegalNameType;
}

export class LegalPersonName {
  @NestedList(() => LegalPersonNameId, 1, MAX_NAME_IDENTIFIERS)
  nameIdentifier!: LegalPersonNameId[];

  @IsOptional()
  @NestedList(() => LegalPersonNameId, 0, MAX_NAME_IDENTIFIERS)
  localNameIdentifier?: LegalPersonNameId[];

  @IsOptional()
  @NestedList(() => LegalPersonNameId, 0, MAX_NAME_IDENTIFIERS)
  phoneticNameIdentifier?: LegalPersonNameId[];
}

export class LegalPerson {
  @Nested(() => LegalPersonName)
  name!: LegalPersonName;

  @IsOptional()
  @NestedList(() => Ivms101Address, 0, MAX_ADDRESSES)
  geographicAddress?: Ivms101Address[];

  @IsOptional()
  @Text(50)
  customerNumber?: string;

  @IsOptional()
  @Nested(() => NationalIdentification)
  nationalIdentification?: NationalIdentification;

  @IsOptional()
  @IsCountry()
  countryOfRegistration?: string;
}

/** One party: exactly one of a natural or a legal person. */
export class Ivms101Person {
  @ValidateIf((p: Ivms101Person) => p.legalPerson === undefined || p.naturalPerson !== undefined)
  @Nested(() => NaturalPerson)
  naturalPerson?: NaturalPerson;

  @ValidateIf((p: Ivms101Person) => p.naturalPerson === undefined || p.legalPerson !== undefined)
  @IsAbsentWith('naturalPerson')
  @Nested(() => LegalPerson)
  legalPerson?: LegalPerson;
}

function AccountNumbers(): PropertyDecorator {
  return (target: object, key: string | symbol) => {
    IsOptional()(target, key);
    IsArray()(target, key);
    ArrayMaxSize(MAX_ACCOUNT_NUMBERS)(target, key);
    IsString({ each: true })(target, key);
    Length(1, 100, { each: true })(target, key);
  };
}

export class Originator {
  @NestedList(() => Ivms101Person, 1, MAX_TRAVEL_RULE_PERSONS)
  originatorPersons!: Ivms101Person[];

  @AccountNumbers()
  accountNumber?: string[];
}

export class Beneficiary {
  @NestedList(() => Ivms101Person, 1, MAX_TRAVEL_RULE_PERSONS)
  beneficiaryPersons!: Ivms101Person[];

  @AccountNumbers()
  accountNumber?: string[];
}

export class OriginatingVasp {
  @Nested(() => Ivms101Person)
  originatingVASP!: Ivms101Person;
}

export class BeneficiaryVasp {
  @Nested(() => Ivms101Person)
  beneficiaryVASP!: Ivms101Person;
}

/** `travelRule` on an exchange transfer: an IVMS101 message. */
export class TravelRule {
  @Nested(() => Originator)
  originator!: Originator;

  @Nested(() => Beneficiary)
  beneficiary!: Beneficiary;

  @IsOptional()
  @Nested(() => OriginatingVasp)
  originatingVASP?: OriginatingVasp;

  @IsOptional()
  @Nested(() => BeneficiaryVasp)
  beneficiaryVASP?: BeneficiaryVasp;
}

/** Every class of the travel-rule record (the API's OpenAPI document lists their schemas). */
export const TRAVEL_RULE_CLASSES: ReadonlyArray<new () => object> = [
  TravelRule,
  Originator,
  Beneficiary,
  OriginatingVasp,
  BeneficiaryVasp,
  Ivms101Person,
  NaturalPerson,
  NaturalPersonName,
  NaturalPersonNameId,
  LegalPerson,
  LegalPersonName,
  LegalPersonNameId,
  Ivms101Address,
  NationalIdentification,
  DateAndPlaceOfBirth,
];

// The declared fields of each class, read once from the validation metadata, so that the list
// of what is kept can never drift from what is validated.
let declared: Map<object, ReadonlySet<string>> | undefined;

function declaredFields(): Map<object, ReadonlySet<string>> {
  if (declared === undefined) {
    const storage = getMetadataStorage();
    declared = new Map(
      TRAVEL_RULE_CLASSES.map((cls) => [
        cls.prototype,
        new Set(
          storage.getTargetValidationMetadatas(cls, '', true, false).map((m) => m.propertyName),
        ),
      ]),
    );
  }
  return declared;
}

/**
 * Deletes, in place, every field of a validated travel-rule record that its class does not
 * declare, at every level: whatever else a counterparty VASP sent stays out of the pipeline.
 */
export function dropUndeclaredFields(value: unknown): void {
  if (Array.isArray(value)) {
    for (const entry of value) dropUndeclaredFields(entry);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const keep = declaredFields().get(Object.getPrototypeOf(value) as object);
  if (keep === undefined) return;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (keep.has(key)) dropUndeclaredFields(record[key]);
    else delete record[key];
  }
}
