import {
  ADDRESS_TYPES,
  Beneficiary,
  BeneficiaryVasp,
  DateAndPlaceOfBirth,
  Ivms101Address,
  Ivms101Person,
  LEGAL_NAME_TYPES,
  LegalPerson,
  LegalPersonName,
  LegalPersonNameId,
  MAX_NAME_IDENTIFIERS,
  MAX_TRAVEL_RULE_PERSONS,
  NATIONAL_ID_TYPES,
  NationalIdentification,
  NATURAL_NAME_TYPES,
  NaturalPerson,
  NaturalPersonName,
  NaturalPersonNameId,
  OriginatingVasp,
  Originator,
  TravelRule,
} from './travel-rule';
import { isCalendarDate, isCountry } from './validators';

/*
 * The fast path for a travel-rule record: class-transformer and class-validator walk a dozen
 * nested classes per record and cost milliseconds. This table restates travel-rule.ts's
 * decorators; it only ever accepts, and returns null for anything else. A record with only
 * declared fields (the usual one) is accepted as parsed, not copied: its objects are plain, not
 * the decorated classes, which carry no behaviour. One with undeclared fields is copied without
 * them into the classes, as the slow path does. travel-rule.spec.ts checks it against the
 * decorated classes on generated records.
 */

type Plain = Record<string, unknown>;
type Rule =
  | { t: 'text'; max: number; optional?: true }
  | { t: 'in'; values: readonly string[]; optional?: true }
  | { t: 'country'; optional?: true }
  | { t: 'date' }
  | { t: 'texts'; maxItems: number; max: number; optional?: true }
  | { t: 'one'; of: () => Shape; optional?: true }
  | { t: 'many'; of: () => Shape; min: number; max: number; optional?: true };
interface Shape {
  cls: new () => object;
  fields: Readonly<Record<string, Rule>>;
  check?: (plain: Plain) => boolean;
}

const text = (max: number, optional?: true): Rule => ({ t: 'text', max, optional });
const oneOf = (values: readonly string[], optional?: true): Rule => ({ t: 'in', values, optional });
const COUNTRY: Rule = { t: 'country', optional: true };
const one = (of: () => Shape, optional?: true): Rule => ({ t: 'one', of, optional });
const many = (of: () => Shape, min: number, max: number, optional?: true): Rule => ({
  t: 'many',
  of,
  min,
  max,
  optional,
});

const NATURAL_NAME_ID: Shape = {
  cls: NaturalPersonNameId,
  fields: {
    primaryIdentifier: text(100),
    secondaryIdentifier: text(100, true),
    nameIdentifierType: oneOf(NATURAL_NAME_TYPES),
  },
};
const naturalNames = (min: number, optional?: true) =>
  many(() => NATURAL_NAME_ID, min, MAX_NAME_IDENTIFIERS, optional);
const LEGAL_NAME_ID: Shape = {
  cls: LegalPersonNameId,
  fields: { legalPersonName: text(100), legalPersonNameIdentifierType: oneOf(LEGAL_NAME_TYPES) },
};
const legalNames = (min: number, optional?: true) =>
  many(() => LEGAL_NAME_ID, min, MAX_NAME_IDENTIFIERS, optional);
const ADDRESS: Shape = {
  cls: Ivms101Address,
  fields: {
    addressType: oneOf(ADDRESS_TYPES),
    addressLine: { t: 'texts', maxItems: 7, max: 70, optional: true },
    streetName: text(70, true),
    buildingNumber: text(16, true),
    buildingName: text(35, true),
    postCode: text(16, true),
    townName: text(35, true),
    countrySubDivision: text(35, true),
    country: { t: 'country' },
  },
};
const NATIONAL_ID: Shape = {
  cls: NationalIdentification,
  fields: {
    nationalIdentifier: text(35),
    nationalIdentifierType: oneOf(NATIONAL_ID_TYPES),
    countryOfIssue: COUNTRY,
    registrationAuthority: text(8, true),
  },
};
const NATURAL: Shape = {
  cls: NaturalPerson,
  fields: {
    name: one(() => ({
      cls: NaturalPersonName,
      fields: {
        nameIdentifier: naturalNames(1),
        localNameIdentifier: naturalNames(0, true),
        phoneticNameIdentifier: naturalNames(0, true),
      },
    })),
    geographicAddress: many(() => ADDRESS, 0, 4, true),
    nationalIdentification: one(() => NATIONAL_ID, true),
    customerIdentification: text(50, true),
    dateAndPlaceOfBirth: one(
      () => ({
        cls: DateAndPlaceOfBirth,
        fields: { dateOfBirth: { t: 'date' }, placeOfBirth: text(70, true) },
      }),
      true,
    ),
    countryOfResidence: COUNTRY,
  },
};
const LEGAL: Shape = {
  cls: LegalPerson,
  fields: {
    name: one(() => ({
      cls: LegalPersonName,
      fields: {
        nameIdentifier: legalNames(1),
        localNameIdentifier: legalNames(0, true),
        phoneticNameIdentifier: legalNames(0, true),
      },
    })),
    geographicAddress: many(() => ADDRESS, 0, 4, true),
    customerNumber: text(50, true),
    nationalIdentification: one(() => NATIONAL_ID, true),
    countryOfRegistration: COUNTRY,
  },
};
const PERSON: Shape = {
  cls: Ivms101Person,
  fields: { naturalPerson: one(() => NATURAL, true), legalPerson: one(() => LEGAL, true) },
  check: (p) => (p.naturalPerson === undefined) !== (p.legalPerson === undefined),
};
const persons = () => many(() => PERSON, 1, MAX_TRAVEL_RULE_PERSONS);
const ACCOUNTS: Rule = { t: 'texts', maxItems: 8, max: 100, optional: true };
const TRAVEL_RULE: Shape = {
  cls: TravelRule,
  fields: {
    originator: one(() => ({
      cls: Originator,
      fields: { originatorPersons: persons(), accountNumber: ACCOUNTS },
    })),
    beneficiary: one(() => ({
      cls: Beneficiary,
      fields: { beneficiaryPersons: persons(), accountNumber: ACCOUNTS },
    })),
    originatingVASP: one(
      () => ({ cls: OriginatingVasp, fields: { originatingVASP: one(() => PERSON) } }),
      true,
    ),
    beneficiaryVASP: one(
      () => ({ cls: BeneficiaryVasp, fields: { beneficiaryVASP: one(() => PERSON) } }),
      true,
    ),
  },
};

const FAIL = Symbol('fail');

const isPlain = (v: unknown): v is Plain =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
// As fast-accept.ts's str: 1 <= length <= max in UTF-16 units implies @Length(1, max).
const isText = (v: unknown, max: number) =>
  typeof v === 'string' && v.length >= 1 && v.length <= max;

type LeafRule = Exclude<Rule, { t: 'one' } | { t: 'many' }>;

/** Whether a present value passes a leaf rule: checked, never copied. */
function leafValid(rule: LeafRule, v: unknown): boolean {
  switch (rule.t) {
    case 'text':
      return isText(v, rule.max);
    case 'in':
      return typeof v === 'string' && rule.values.includes(v);
    case 'country':
      return isCountry(v);
    case 'date':
      return isCalendarDate(v);
    case 'texts':
      return Array.isArray(v) && v.length <= rule.maxItems && v.every((s) => isText(s, rule.max));
  }
}

function value(rule: Rule, v: unknown): unknown {
  if (v === undefined) return 'optional' in rule && rule.optional ? undefined : FAIL;
  switch (rule.t) {
    case 'one':
      return isPlain(v) ? build(shapeOf(rule), v) : FAIL;
    case 'many': {
      if (!Array.isArray(v) || v.length < rule.min || v.length > rule.max) return FAIL;
      const out: unknown[] = [];
      const shape = shapeOf(rule);
      for (const item of v) {
        const built = isPlain(item) ? build(shape, item) : FAIL;
        if (built === FAIL) return FAIL;
        out.push(built);
      }
      return out;
    }
    default:
      if (!leafValid(rule, v)) return FAIL;
      // The copy's list of texts is its own, not the parsed record's.
      return rule.t === 'texts' ? (v as unknown[]).slice() : v;
  }
}

/** A shape's fields, read once: a record is checked field by field, then copied in its own order. */
interface Compiled {
  names: readonly string[];
  rules: readonly Rule[];
  position: ReadonlyMap<string, number>;
}

const SHAPES = new WeakMap<Rule, Shape>();
const COMPILED = new WeakMap<Shape, Compiled>();

/** The shape a nested rule names, made once (the table's inline shapes are closures). */
function shapeOf(rule: Extract<Rule, { of: () => Shape }>): Shape {
  let shape = SHAPES.get(rule);
  if (shape === undefined) SHAPES.set(rule, (shape = rule.of()));
  return shape;
}

function compiled(shape: Shape): Compiled {
  let done = COMPILED.get(shape);
  if (done === undefined) {
    const names = Object.keys(shape.fields);
    done = {
      names,
      rules: names.map((name) => shape.fields[name]),
      position: new Map(names.map((name, i) => [name, i])),
    };
    COMPILED.set(shape, done);
  }
  return done;
}

function build(shape: Shape, plain: Plain): object | typeof FAIL {
  if (shape.check && !shape.check(plain)) return FAIL;
  const { names, rules, position } = compiled(shape);
  const values: unknown[] = new Array(names.length);
  for (let i = 0; i < names.length; i += 1) {
    const v = value(rules[i], plain[names[i]]);
    if (v === FAIL) return FAIL;
    values[i] = v;
  }
  // Own properties in the record's order, as class-transformer copies them.
  const out = new shape.cls() as Plain;
  for (const key of Object.keys(plain)) {
    const at = position.get(key);
    if (at !== undefined && values[at] !== undefined) out[key] = values[at];
  }
  return out;
}

/**
 * What checking a record in place found: `declared`, valid with every field declared (the record
 * can be used as parsed); `undeclared`, valid with undeclared fields somewhere (copied without
 * them); `invalid`.
 */
type Found = 'invalid' | 'declared' | 'undeclared';

function checkValue(rule: Rule, v: unknown): Found {
  if (v === undefined) return 'optional' in rule && rule.optional ? 'declared' : 'invalid';
  switch (rule.t) {
    case 'one':
      return isPlain(v) ? check(shapeOf(rule), v) : 'invalid';
    case 'many': {
      if (!Array.isArray(v) || v.length < rule.min || v.length > rule.max) return 'invalid';
      const shape = shapeOf(rule);
      let found: Found = 'declared';
      for (const item of v) {
        const itemFound = isPlain(item) ? check(shape, item) : 'invalid';
        if (itemFound === 'invalid') return 'invalid';
        if (itemFound === 'undeclared') found = 'undeclared';
      }
      return found;
    }
    default:
      return leafValid(rule, v) ? 'declared' : 'invalid';
  }
}

function check(shape: Shape, plain: Plain): Found {
  if (shape.check && !shape.check(plain)) return 'invalid';
  const { names, rules, position } = compiled(shape);
  let found: Found = 'declared';
  for (let i = 0; i < names.length; i += 1) {
    const fieldFound = checkValue(rules[i], plain[names[i]]);
    if (fieldFound === 'invalid') return 'invalid';
    if (fieldFound === 'undeclared') found = 'undeclared';
  }
  if (found === 'declared') {
    for (const key in plain) if (!position.has(key)) return 'undeclared';
  }
  return found;
}

/**
 * The validated record without its undeclared fields, or null for the slow path to judge: the
 * parsed record itself when it has none.
 */
export function acceptTravelRule(plain: unknown): TravelRule | null {
  if (!isPlain(plain)) return null;
  switch (check(TRAVEL_RULE, plain)) {
    case 'invalid':
      return null;
    case 'declared':
      return plain as unknown as TravelRule;
    case 'undeclared': {
      const built = build(TRAVEL_RULE, plain);
      return built === FAIL ? null : (built as TravelRule);
    }
  }
}
