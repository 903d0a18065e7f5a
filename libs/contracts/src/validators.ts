import { registerDecorator, ValidationOptions } from 'class-validator';

// Decimal strings only: money never goes through a binary float. No exponent, no sign,
// no leading zeros, at most 78 digits (enough for 2^256 wei) before the point.
const DECIMAL = /^(0|[1-9][0-9]{0,77})(\.[0-9]{1,36})?$/;
const NON_ZERO_DIGIT = /[1-9]/;
// ISO-8601 date-time with an explicit zone (Z or ±hh:mm): a time without one is ambiguous.
const ZONED_TIME =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):?[0-5]\d)$/;
const COUNTRY = /^[A-Z]{2}$/;

export function isDecimalString(value: unknown, positive: boolean): boolean {
  if (typeof value !== 'string' || !DECIMAL.test(value)) return false;
  return positive ? NON_ZERO_DIGIT.test(value) : true;
}

export function isZonedTime(value: unknown): boolean {
  return typeof value === 'string' && ZONED_TIME.test(value) && !Number.isNaN(Date.parse(value));
}

function simpleDecorator(
  name: string,
  test: (value: unknown) => boolean,
  message: string,
  options?: ValidationOptions,
): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `$property ${message}`, ...options },
      validator: { validate: test },
    });
  };
}

export const IsDecimalString = (opts: { positive: boolean }, options?: ValidationOptions) =>
  simpleDecorator(
    'isDecimalString',
    (v) => isDecimalString(v, opts.positive),
    opts.positive ? 'must be a decimal string greater than 0' : 'must be a decimal string >= 0',
    options,
  );

export const IsZonedTime = (options?: ValidationOptions) =>
  simpleDecorator('isZonedTime', isZonedTime, 'must be an ISO-8601 time with a zone', options);

export const IsCountry = (options?: ValidationOptions) =>
  simpleDecorator(
    'isCountry',
    (v) => typeof v === 'string' && COUNTRY.test(v),
    'must be an ISO 3166-1 alpha-2 code in upper case',
    options,
  );
