import { Counterparty, ExchangeAccount, ExchangeTransfer } from './exchange-transfer';
import { OnchainTransfer, TransferObserver } from './onchain-transfer';
import { TravelRule } from './travel-rule';
import { acceptTravelRule } from './travel-rule-fast';
import { Rate } from './rate';
import { MAX_ADDRESS_LENGTH } from './transfer-fields';
import { isCountry, isDecimalString, isKanaReading, isZonedTime } from './validators';

/**
 * The decoder's fast path for the common case, a well-formed event. class-transformer and
 * class-validator walk their decorator metadata for every message and took about 40% of the
 * screener's CPU on the benchmark stream (docs/performance.md); this checks the same rules
 * with plain code.
 *
 * It only ever ACCEPTS. It returns the same instance `plainToInstance` would build (same
 * classes, same own properties in the same order), and only when every rule of the class holds;
 * anything else, or anything unusual (a nested array or object in an unknown field, a key that
 * names an inherited property, an array where an object is expected), returns null and the
 * decorated classes decide, with their own error message. So an input is accepted here only if
 * the decorators would accept it too: libs/contracts/src/fast-accept.spec.ts checks this
 * against class-validator on generated inputs.
 *
 * A `travelRule` record is checked by travel-rule-fast.ts, which drops its undeclared fields as
 * the slow path does, and keeps a record that has none as parsed (plain objects where the slow
 * path builds the classes; they carry no behaviour).
 *
 * The rules mirror the decorators of onchain-transfer.ts, exchange-transfer.ts,
 * transfer-fields.ts and rate.ts: a change there must be made here too (the spec fails if not).
 */
export function acceptFast(
  kind: 'onchain-transfer' | 'exchange-transfer' | 'rate',
  plain: Record<string, unknown>,
): OnchainTransfer | ExchangeTransfer | Rate | null {
  switch (kind) {
    case 'onchain-transfer':
      return onchainTransfer(plain);
    case 'exchange-transfer':
      return exchangeTransfer(plain);
    case 'rate':
      return rate(plain);
  }
}

type Plain = Record<string, unknown>;

/**
 * `@Length(1, max)` (validator.js isLength) counts a surrogate pair or a character with a
 * variation selector as one, so its length is at most `s.length`, and it is at least 1 for any
 * non-empty string: `1 <= s.length <= max` implies the decorator holds.
 */
function str(value: unknown, max: number): boolean {
  return typeof value === 'string' && value.length >= 1 && value.length <= max;
}

/** `@IsOptional()`: null and undefined skip every other rule of the property. */
function absent(value: unknown): boolean {
  return value === null || value === undefined;
}

function isPlainObject(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every property name a class's instances inherit (its prototype chain, Object's included). */
function inheritedNames(target: object): ReadonlySet<string> {
  const names = new Set<string>();
  for (let proto = Object.getPrototypeOf(target) as object | null; proto !== null;) {
    for (const name of Object.getOwnPropertyNames(proto)) names.add(name);
    proto = Object.getPrototypeOf(proto) as object | null;
  }
  return names;
}

const INHERITED = new Map<unknown, ReadonlySet<string>>();

/**
 * Copies the plain object's own keys onto a new instance, as class-transformer does. Returns
 * false, so that the slow path decides, for a key naming an inherited property (class-transformer
 * skips those) or an unknown key holding an object or array (it would copy that recursively).
 * The keys are checked first and copied by one Object.assign: setting them one by one through a
 * computed key was a fifth of the decoder's time.
 */
function assign(target: object, plain: Plain, nested: Readonly<Record<string, true>>): boolean {
  let inherited = INHERITED.get(target.constructor);
  if (inherited === undefined) {
    inherited = inheritedNames(target);
    INHERITED.set(target.constructor, inherited);
  }
  for (const key of Object.keys(plain)) {
    if (inherited.has(key)) return false;
    const value = plain[key];
    if (typeof value === 'object' && value !== null && nested[key] !== true) return false;
  }
  Object.assign(target, plain);
  return true;
}

/** TransferFields: eventId, chain, asset, amount, valueJpy. */
function transferFields(p: Plain): boolean {
  return (
    str(p.eventId, 200) &&
    str(p.chain, 40) &&
    str(p.asset, 20) &&
    isDecimalString(p.amount, true) &&
    (absent(p.valueJpy) || isDecimalString(p.valueJpy, false))
  );
}

const ONCHAIN_NESTED = { from: true, observer: true } as const;

function onchainTransfer(p: Plain): OnchainTransfer | null {
  if (p.type !== 'onchain-transfer' || !transferFields(p)) return null;
  if (!str(p.txHash, 200)) return null;
  const index = p.index;
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0) return null;
  if (index > Number.MAX_SAFE_INTEGER || !isZonedTime(p.blockTime)) return null;
  const from = p.from;
  if (!Array.isArray(from) || from.length < 1 || from.length > 100) return null;
  for (const address of from) if (!str(address, MAX_ADDRESS_LENGTH)) return null;
  if (!str(p.to, MAX_ADDRESS_LENGTH)) return null;
  let observer: TransferObserver | null = null;
  if (!absent(p.observer)) {
    const o = p.observer;
    if (!isPlainObject(o) || !str(o.exchangeId, 200)) return null;
    if (o.side !== 'sender' && o.side !== 'receiver') return null;
    observer = new TransferObserver();
    if (!assign(observer, o, {})) return null;
  }
  const out = new OnchainTransfer();
  if (!assign(out, p, ONCHAIN_NESTED)) return null;
  out.from = from.slice() as string[];
  if (observer) out.observer = observer;
  return out;
}

const EXCHANGE_NESTED = { account: true, counterparty: true, travelRule: true } as const;

function exchangeTransfer(p: Plain): ExchangeTransfer | null {
  if (p.type !== 'exchange-transfer' || !transferFields(p)) return null;
  if (!str(p.exchangeId, 200) || !isZonedTime(p.occurredAt)) return null;
  const direction = p.direction;
  if (direction !== 'withdrawal' && direction !== 'deposit' && direction !== 'internal') {
    return null;
  }
  // @ValidateIf: the address is checked unless the transfer is internal and has none.
  if (
    (direction !== 'internal' || p.address !== undefined) &&
    !str(p.address, MAX_ADDRESS_LENGTH)
  ) {
    return null;
  }
  if (!absent(p.ipCountry) && !isCountry(p.ipCountry)) return null;
  let travelRule: TravelRule | null = null;
  if (!absent(p.travelRule)) {
    travelRule = acceptTravelRule(p.travelRule);
    if (travelRule === null) return null;
  }

  const a = p.account;
  if (!isPlainObject(a) || !str(a.id, 200) || !isCountry(a.residency)) return null;
  if (a.kind !== 'individual' && a.kind !== 'corporate') return null;
  if (!absent(a.name) && !str(a.name, 300)) return null;
  if (!absent(a.nameKana) && !(str(a.nameKana, 300) && isKanaReading(a.nameKana))) return null;
  const account = new ExchangeAccount();
  if (!assign(account, a, {})) return null;

  const c = p.counterparty;
  if (!isPlainObject(c)) return null;
  const wallet = c.walletType;
  if (wallet !== 'hosted' && wallet !== 'unhosted' && wallet !== 'unknown') return null;
  if (!absent(c.vaspId) && !str(c.vaspId, 200)) return null;
  if (!absent(c.vaspName) && !str(c.vaspName, 300)) return null;
  if (!absent(c.vaspCountry) && !isCountry(c.vaspCountry)) return null;
  if (!absent(c.name) && !str(c.name, 300)) return null;
  if (!absent(c.nameKana) && !(str(c.nameKana, 300) && isKanaReading(c.nameKana))) return null;
  if (!absent(c.residency) && !isCountry(c.residency)) return null;
  if (!absent(c.accountId) && !str(c.accountId, 200)) return null;
  const counterparty = new Counterparty();
  if (!assign(counterparty, c, {})) return null;

  const out = new ExchangeTransfer();
  if (!assign(out, p, EXCHANGE_NESTED)) return null;
  out.account = account;
  out.counterparty = counterparty;
  if (travelRule) out.travelRule = travelRule;
  return out;
}

function rate(p: Plain): Rate | null {
  if (p.type !== 'rate' || !str(p.asset, 20)) return null;
  if (!isDecimalString(p.jpy, true) || !isZonedTime(p.at)) return null;
  const out = new Rate();
  return assign(out, p, {}) ? out : null;
}
