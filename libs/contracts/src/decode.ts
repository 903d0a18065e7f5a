import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { DeadLetterCode } from './dead-letter-codes';
import { ExchangeTransfer } from './exchange-transfer';
import { acceptFast } from './fast-accept';
import { OnchainTransfer } from './onchain-transfer';
import { Rate } from './rate';

export type InputKind = 'onchain-transfer' | 'exchange-transfer' | 'rate';

type InputClass = typeof OnchainTransfer | typeof ExchangeTransfer | typeof Rate;
const CLASSES: Record<InputKind, InputClass> = {
  'onchain-transfer': OnchainTransfer,
  'exchange-transfer': ExchangeTransfer,
  rate: Rate,
};

export interface InputByKind {
  'onchain-transfer': OnchainTransfer;
  'exchange-transfer': ExchangeTransfer;
  rate: Rate;
}

export type DecodeResult<K extends InputKind> =
  { ok: true; value: InputByKind[K] } | { ok: false; code: DeadLetterCode; detail: string };

export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });
// Keys that could reach an object's prototype through a careless merge downstream.
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 8;
const DETAIL_MAX = 300;

function fail<K extends InputKind>(code: DeadLetterCode, detail: string): DecodeResult<K> {
  return {
    ok: false,
    code,
    detail: detail.length > DETAIL_MAX ? `${detail.slice(0, DETAIL_MAX - 1)}…` : detail,
  };
}

/**
 * Walks parsed JSON once: refuses deep nesting and keys that could reach a prototype (also when
 * the JSON spelled them with escapes, which a byte search would miss), and drops `null` members
 * of objects, so that an optional field sent as null reads as absent everywhere downstream
 * (class-validator's @IsOptional already lets null through) and a required one as missing.
 * Returns a reason, or undefined when the value is acceptable.
 */
function sanitize(value: unknown, depth: number): string | undefined {
  if (depth > MAX_DEPTH) return `nesting deeper than ${MAX_DEPTH} levels`;
  if (Array.isArray(value)) {
    for (const item of value) {
      const why = sanitize(item, depth + 1);
      if (why) return why;
    }
  } else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (FORBIDDEN_KEYS.has(key)) return `forbidden key "${key}"`;
      if (record[key] === null) {
        delete record[key];
        continue;
      }
      const why = sanitize(record[key], depth + 1);
      if (why) return why;
    }
  }
  return undefined;
}

function firstViolation(errors: ValidationError[], path = ''): string {
  const first = errors[0];
  const here = path ? `${path}.${first.property}` : first.property;
  if (first.constraints) {
    const message = Object.values(first.constraints)[0];
    return path ? `${path}.${message}` : message;
  }
  if (first.children && first.children.length > 0) return firstViolation(first.children, here);
  return `${here} is invalid`;
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
  if (raw === null || raw.length === 0)
    return fail(DeadLetterCode.INVALID_JSON, 'empty message value');
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
  const why = sanitize(parsed, 0);
  if (why) return fail(DeadLetterCode.SCHEMA_VIOLATION, why);
  const type = (parsed as { type?: unknown }).type;
  if (type !== expected) {
    const got = typeof type === 'string' ? `"${type}"` : 'no type';
    return fail(DeadLetterCode.SCHEMA_VIOLATION, `type must be "${expected}", got ${got}`);
  }
  // Well-formed events take the fast path; anything it does not accept is judged, and explained,
  // by the decorated classes below.
  const fast = acceptFast(expected, parsed as Record<string, unknown>);
  if (fast !== null) return { ok: true, value: fast as InputByKind[K] };
  const instance = plainToInstance(CLASSES[expected] as new () => object, parsed);
  const errors = validateSync(instance, {
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
  });
  if (errors.length > 0) return fail(DeadLetterCode.SCHEMA_VIOLATION, firstViolation(errors));
  return { ok: true, value: instance as InputByKind[K] };
}
