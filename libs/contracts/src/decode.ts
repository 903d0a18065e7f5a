import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { DeadLetterCode } from './dead-letter-codes';
import { ExchangeTransfer } from './exchange-transfer';
import { acceptFast } from './fast-accept';
import { isFromItem, OnchainTransfer } from './onchain-transfer';
import { Rate } from './rate';
import { Review } from './review';
import { dropUndeclaredFields } from './travel-rule';

export type InputKind = 'onchain-transfer' | 'exchange-transfer' | 'rate' | 'review';

type InputClass = typeof OnchainTransfer | typeof ExchangeTransfer | typeof Rate | typeof Review;
const CLASSES: Record<InputKind, InputClass> = {
  'onchain-transfer': OnchainTransfer,
  'exchange-transfer': ExchangeTransfer,
  rate: Rate,
  review: Review,
};

export interface InputByKind {
  'onchain-transfer': OnchainTransfer;
  'exchange-transfer': ExchangeTransfer;
  rate: Rate;
  review: Review;
}

export type DecodeResult<K extends InputKind> =
  | { ok: true; value: InputByKind[K] }
  | {
      ok: false;
      code: DeadLetterCode;
      /** The first violation in one short sentence: it becomes the `dlq-error-detail` header. */
      detail: string;
      /**
       * Every offending field path (`counterparty.vaspCountry`, `from[2]`); empty when the value
       * as a whole is refused (not JSON, too large, not an object).
       */
      fields: string[];
    };

export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });
// Keys that could reach an object's prototype through a careless merge downstream.
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
// An IVMS101 name sits 9 levels down (travelRule.beneficiary.beneficiaryPersons[0].naturalPerson
// .name.nameIdentifier[0].primaryIdentifier); one level to spare, and no deeper, so that a hostile
// record cannot make the walk and the validator recurse without bound.
const MAX_DEPTH = 10;
const DETAIL_MAX = 300;
// Paths can echo client keys (a forbidden key's parents): bounded, so that a 400 body stays small.
// At most 100 `from` items and a few dozen fields can fail; FIELDS_MAX only guards later growth.
const PATH_MAX = 200;
const FIELDS_MAX = 128;

const clip = (text: string, max: number): string =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;

function fail<K extends InputKind>(
  code: DeadLetterCode,
  detail: string,
  fields: string[] = [],
): DecodeResult<K> {
  return {
    ok: false,
    code,
    detail: clip(detail, DETAIL_MAX),
    fields: fields.slice(0, FIELDS_MAX).map((path) => clip(path, PATH_MAX)),
  };
}

const member = (path: string, key: string): string => (path ? `${path}.${key}` : key);
const item = (path: string, index: number | string): string => `${path}[${index}]`;

interface Refusal {
  why: string;
  /** Where, from the top: object keys and array indexes, collected on the way back up. */
  at: (string | number)[];
}

function pathOf(at: readonly (string | number)[]): string {
  let path = '';
  for (const step of at) path = typeof step === 'number' ? item(path, step) : member(path, step);
  return path;
}

const tooDeep = (at: (string | number)[]): Refusal => ({
  why: `nesting deeper than ${MAX_DEPTH} levels`,
  at,
});

/**
 * Walks parsed JSON once: refuses deep nesting and keys that could reach a prototype (also when
 * the JSON spelled them with escapes, which a byte search would miss), and drops `null` members
 * of objects, so that an optional field sent as null reads as absent everywhere downstream
 * (class-validator's @IsOptional already lets null through) and a required one as missing.
 * Returns the reason and where, or undefined when the value is acceptable. The path is built
 * only for a refusal: building it for every member was most of this walk's time.
 */
function sanitize(value: unknown, depth: number): Refusal | undefined {
  if (depth > MAX_DEPTH) return tooDeep([]);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const entry: unknown = value[i];
      if (entry === null || typeof entry !== 'object') {
        if (depth + 1 > MAX_DEPTH) return tooDeep([i]);
        continue;
      }
      const refusal = sanitize(entry, depth + 1);
      if (refusal) {
        refusal.at.unshift(i);
        return refusal;
      }
    }
  } else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    // for-in, not Object.keys: no array per object, and V8 reads `record[key]` through the
    // object's enum cache. JSON.parse's objects inherit nothing enumerable.
    for (const key in record) {
      if (FORBIDDEN_KEYS.has(key)) return { why: `forbidden key "${key}"`, at: [key] };
      const member = record[key];
      if (member === null) {
        delete record[key];
        continue;
      }
      if (typeof member !== 'object') {
        if (depth + 1 > MAX_DEPTH) return tooDeep([key]);
        continue;
      }
      const refusal = sanitize(member, depth + 1);
      if (refusal) {
        refusal.at.unshift(key);
        return refusal;
      }
    }
  }
  return undefined;
}

function firstViolation(errors: ValidationError[], path = ''): string {
  const first = errors[0];
  // Array items are named as in `fields`: beneficiaryPersons[0], not beneficiaryPersons.0.
  const index = /^\d+$/.test(first.property);
  const here = index ? item(path, first.property) : member(path, first.property);
  if (first.constraints) {
    const message = Object.values(first.constraints)[0];
    if (!path) return message;
    if (!index) return `${path}.${message}`;
    // class-validator words an item that is no object as "each value in nested property …".
    return /^each value in nested/.test(message)
      ? `${here} must be an object`
      : `${here} ${message.replace(/^\S+\s/, '')}`;
  }
  if (first.children && first.children.length > 0) return firstViolation(first.children, here);
  return `${here} is invalid`;
}

// class-validator reports an `each` rule on the array as a whole; these name the items that broke it.
const ITEM_RULES: Readonly<Record<string, (value: unknown) => boolean>> = { from: isFromItem };
const WHOLE_ARRAY_CONSTRAINTS = new Set(['isArray', 'arrayMinSize', 'arrayMaxSize']);

/** The paths of one failed property: its bad items when the rule is per item, else itself. */
function pathsOf(path: string, constraints: Record<string, string>, value: unknown): string[] {
  const rule = ITEM_RULES[path];
  if (rule === undefined || !Array.isArray(value)) return [path];
  // An array refused as a whole (too long) is one violation, not one per item.
  if (Object.keys(constraints).some((name) => WHOLE_ARRAY_CONSTRAINTS.has(name))) return [path];
  const bad: string[] = [];
  value.forEach((entry: unknown, i) => {
    if (!rule(entry)) bad.push(item(path, i));
  });
  return bad.length > 0 ? bad : [path];
}

/** Every violation's field path, in class-validator's order, with `[i]` for array items. */
function violationPaths(errors: ValidationError[], plain: unknown, path = ''): string[] {
  const out: string[] = [];
  for (const error of errors) {
    const here = Array.isArray(plain) ? item(path, error.property) : member(path, error.property);
    const value =
      typeof plain === 'object' && plain !== null
        ? (plain as Record<string, unknown>)[error.property]
        : undefined;
    if (error.constraints) out.push(...pathsOf(here, error.constraints, value));
    if (error.children && error.children.length > 0) {
      out.push(...violationPaths(error.children, value, here));
    }
  }
  return out;
}

/**
 * Decodes one Kafka message value into a validated contract object, or says why it cannot be
 * screened, with the dead-letter code that crosses to the producer. Never throws.
 */
export function decodeInput<K extends InputKind>(
  raw: Buffer | null,
  expected: K,
  maxBytes: number = DEFAULT_MAX_MESSAGE_BYTES,
): DecodeResult<K> {
  if (raw === null) return fail(DeadLetterCode.EMPTY_VALUE, 'null message value (a tombstone)');
  if (raw.length === 0) return fail(DeadLetterCode.INVALID_JSON, 'empty message value');
  if (raw.length > maxBytes) {
    return fail(
      DeadLetterCode.TOO_LARGE,
      `message is ${raw.length} bytes, the limit is ${maxBytes}`,
    );
  }
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    return fail(DeadLetterCode.INVALID_JSON, 'message value is not valid UTF-8');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return fail(DeadLetterCode.INVALID_JSON, `not JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    const what = Array.isArray(parsed) ? 'an array' : parsed === null ? 'null' : typeof parsed;
    return fail(DeadLetterCode.SCHEMA_VIOLATION, `value must be a JSON object, got ${what}`);
  }
  const refusal = sanitize(parsed, 0);
  if (refusal) return fail(DeadLetterCode.SCHEMA_VIOLATION, refusal.why, [pathOf(refusal.at)]);
  const type = (parsed as { type?: unknown }).type;
  if (type !== expected) {
    const got = typeof type === 'string' ? `"${type}"` : 'no type';
    return fail(DeadLetterCode.SCHEMA_VIOLATION, `type must be "${expected}", got ${got}`, [
      'type',
    ]);
  }
  // Well-formed events take the fast path; anything it does not accept is judged, and explained,
  // by the decorated classes below.
  const fast =
    expected === 'review' ? null : acceptFast(expected, parsed as Record<string, unknown>);
  if (fast !== null) return { ok: true, value: fast as InputByKind[K] };
  const instance = plainToInstance(CLASSES[expected] as new () => object, parsed);
  const errors = validateSync(instance, {
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
  });
  if (errors.length > 0) {
    const fields = violationPaths(errors, parsed);
    return fail(DeadLetterCode.SCHEMA_VIOLATION, firstViolation(errors), fields);
  }
  if (instance instanceof ExchangeTransfer) dropUndeclaredFields(instance.travelRule);
  return { ok: true, value: instance as InputByKind[K] };
}
