import type { ExchangeTransfer } from '@sekimori/contracts';
import type { Valuation } from '../valuation';
import type { AddressExposure, ListedTransfer } from './exposure';
import { type Money, money, toDecimalString } from '../money';
import type { RulesConfig } from '../rules-config';

const HOUR_MS = 3_600_000;

/**
 * What an account's routing log keeps of one transfer (THIRD_COUNTRY_ROUTING): inflows that
 * came from a tainted or restricted source, outflows to third countries or foreign VASPs.
 */
export interface RoutingEntry {
  eventId: string;
  kind: 'inflow' | 'outflow';
  /** Event time, ISO-8601. */
  at: string;
  asset: string;
  amount: string;
  valueJpy: string | null;
  /** Inflow: where the funds came from; outflow: where they went. Null when not known. */
  country: string | null;
  /** The counterparty VASP as a person reads it (`vaspName`, else `vaspId`). */
  vasp: string | null;
  /** Inflow only: why it counts, one phrase per reason. */
  why: string[];
  /** Outflow only: to a VASP or counterparty in a third country (the pass-through test). */
  thirdCountry: boolean;
  /** Outflow only: the VASP (`vaspId`, else `vaspName`) when it is outside the home country (fan-out). */
  foreignVasp: string | null;
}

/** An entry with its place in the account's log: the order in which the screener first saw it. */
export interface LoggedEntry extends RoutingEntry {
  seq: number;
}

/** One pattern found: funds passed through to third countries, or fanned out to foreign VASPs. */
export interface RoutingFinding {
  pattern: 'pass-through' | 'fan-out';
  /** `outflow`: this withdrawal completes it; `late-inflow`: this deposit, seen after the outflows. */
  completedBy: 'outflow' | 'late-inflow';
  windowHours: number;
  inflows: RoutingEntry[];
  outflows: RoutingEntry[];
  /** Pass-through: what came in and what left, in `unit` (`JPY` or the asset), and the share. */
  unit: string | null;
  inflowSum: string | null;
  outflowSum: string | null;
  share: string | null;
  /** Fan-out: the distinct foreign VASPs paid, in order. */
  vasps: string[];
}

/** The routing facts of one event, for the rule: its entry and the patterns it completes. */
export interface RoutingState {
  entry: RoutingEntry;
  findings: RoutingFinding[];
}

/** An account's log as the store keeps it: entries and the next sequence number. */
export interface RoutingLog {
  nextSeq: number;
  entries: LoggedEntry[];
}

/** What deciding an event's entry needs of its context. */
export interface RoutingFacts extends ListedTransfer {
  exposures: AddressExposure[];
  valuation: Valuation;
}

function counterpartyCountry(event: ExchangeTransfer): string | null {
  return event.counterparty.vaspCountry ?? event.counterparty.residency ?? null;
}

function vaspName(event: ExchangeTransfer): string | null {
  return event.counterparty.vaspName ?? event.counterparty.vaspId ?? null;
}

/** Why a deposit counts as a tainted or restricted inflow; empty when it does not. */
function inflowReasons(ctx: RoutingFacts, event: ExchangeTransfer, config: RulesConfig) {
  const why: string[] = [];
  const cp = event.counterparty;
  const listed = ctx.matches.find((m) => m.side === 'address');
  if (listed !== undefined) {
    why.push(`from ${listed.entityName}'s listed address ${listed.address} (${listed.listId})`);
  }
  const exposed = ctx.exposures.find((x) => x.side === 'address');
  if (listed === undefined && exposed !== undefined) {
    const hops = exposed.path.hops.length;
    why.push(
      `from address ${exposed.address}, ${hops} ${hops === 1 ? 'hop' : 'hops'} from ${exposed.path.source.entityName}'s listed address ${exposed.path.source.address} (${exposed.path.source.listId})`,
    );
  }
  if (cp.vaspCountry !== undefined && config.routingSourceVaspCountries.includes(cp.vaspCountry)) {
    why.push(`from a VASP in ${cp.vaspCountry}${cp.vaspName ? ` (${cp.vaspName})` : ''}`);
  } else if (cp.vaspCountry !== undefined && config.restrictedCountries.includes(cp.vaspCountry)) {
    why.push(`from a VASP in restricted jurisdiction ${cp.vaspCountry}`);
  }
  if (cp.residency !== undefined && config.restrictedCountries.includes(cp.residency)) {
    why.push(`from a counterparty resident in restricted jurisdiction ${cp.residency}`);
  }
  return why;
}

/**
 * The entry an event adds to its account's routing log, or null when it adds none: a deposit
 * from a listed or exposed address, a restricted jurisdiction or a source-country VASP; a
 * withdrawal to a third country or to a VASP outside the home country.
 */
export function routingEntryOf(ctx: RoutingFacts, config: RulesConfig): RoutingEntry | null {
  const event = ctx.event;
  if (event.type !== 'exchange-transfer') return null;
  const base = {
    eventId: event.eventId,
    at: event.occurredAt,
    asset: event.asset,
    amount: event.amount,
    valueJpy: ctx.valuation.valueJpy,
    vasp: vaspName(event),
  };
  if (event.direction === 'deposit') {
    const why = inflowReasons(ctx, event, config);
    if (why.length === 0) return null;
    const country = counterpartyCountry(event);
    return { ...base, kind: 'inflow', country, why, thirdCountry: false, foreignVasp: null };
  }
  if (event.direction !== 'withdrawal') return null;
  const cp = event.counterparty;
  const third = [cp.vaspCountry, cp.residency].find(
    (c): c is string => c !== undefined && config.thirdCountries.includes(c),
  );
  const foreign =
    cp.vaspCountry !== undefined && cp.vaspCountry !== config.homeCountry
      ? (cp.vaspId ?? cp.vaspName ?? null)
      : null;
  if (third === undefined && foreign === null) return null;
  return {
    ...base,
    kind: 'outflow',
    country: third ?? counterpartyCountry(event),
    why: [],
    thirdCountry: third !== undefined,
    foreignVasp: foreign,
  };
}

const time = (e: RoutingEntry): number => Date.parse(e.at);

function byTime(a: LoggedEntry, b: LoggedEntry): number {
  return time(a) - time(b) || a.seq - b.seq;
}

/** Yen when every entry has a yen value, else the asset when they share one, else null. */
function unitOf(entries: readonly RoutingEntry[]): string | null {
  if (entries.every((e) => e.valueJpy !== null)) return 'JPY';
  const asset = entries[0]?.asset;
  return entries.every((e) => e.asset === asset) ? asset : null;
}

function sumIn(entries: readonly RoutingEntry[], unit: string): Money {
  return entries.reduce(
    (sum, e) => sum.plus(money(unit === 'JPY' ? (e.valueJpy as string) : e.amount)),
    money('0'),
  );
}

/**
 * What a routing finding at time `at` is judged on: the tainted inflows of the window before `at`
 * (edges included) and the foreign outflows from the first of them up to `at`, in time order.
 * Null when no inflow is in the window.
 */
function windowAt(
  at: number,
  inflows: readonly LoggedEntry[],
  outflows: readonly LoggedEntry[],
  windowHours: number,
): { ins: LoggedEntry[]; outs: LoggedEntry[] } | null {
  const windowMs = windowHours * HOUR_MS;
  const ins = inflows.filter((e) => at - time(e) >= 0 && at - time(e) <= windowMs).sort(byTime);
  if (ins.length === 0) return null;
  const start = time(ins[0]);
  const outs = outflows.filter((e) => time(e) >= start && time(e) <= at).sort(byTime);
  return { ins, outs };
}

/**
 * Pass-through judged at time `at`: the tainted inflows of the window before it, and what left
 * for third countries from the first of them up to `at`. Null when no inflow is in the window.
 */
function passThrough(
  at: number,
  inflows: readonly LoggedEntry[],
  outflows: readonly LoggedEntry[],
  config: RulesConfig,
  completedBy: RoutingFinding['completedBy'],
): RoutingFinding | null {
  const seen = windowAt(at, inflows, outflows, config.routingWindowHours);
  if (seen === null || seen.outs.length === 0) return null;
  const { ins, outs } = seen;
  const unit = unitOf([...ins, ...outs]);
  if (unit === null) return null;
  const inSum = sumIn(ins, unit);
  const outSum = sumIn(outs, unit);
  if (inSum.lte(0)) return null;
  const share = (outSum.lt(inSum) ? outSum : inSum).div(inSum);
  if (share.lt(money(config.routingMinShare))) return null;
  return {
    pattern: 'pass-through',
    completedBy,
    windowHours: config.routingWindowHours,
    inflows: ins.map(strip),
    outflows: outs.map(strip),
    unit,
    inflowSum: toDecimalString(inSum),
    outflowSum: toDecimalString(outSum),
    share: toDecimalString(share.toDecimalPlaces(4)),
    vasps: [],
  };
}

/** Fan-out judged at `at`: distinct foreign VASPs paid from the first inflow of the window on. */
function fanOut(
  at: number,
  inflows: readonly LoggedEntry[],
  outflows: readonly LoggedEntry[],
  config: RulesConfig,
  completedBy: RoutingFinding['completedBy'],
): RoutingFinding | null {
  const seen = windowAt(at, inflows, outflows, config.fanOutWindowHours);
  if (seen === null) return null;
  const { ins, outs } = seen;
  const vasps = [...new Set(outs.map((e) => e.foreignVasp as string))];
  if (vasps.length < config.fanOutMinVasps) return null;
  return {
    pattern: 'fan-out',
    completedBy,
    windowHours: config.fanOutWindowHours,
    inflows: ins.map(strip),
    outflows: outs.map(strip),
    unit: null,
    inflowSum: null,
    outflowSum: null,
    share: null,
    vasps,
  };
}

function strip(e: LoggedEntry): RoutingEntry {
  const { seq: _seq, ...entry } = e;
  return entry;
}

/**
 * The patterns an entry completes, judged on the log as it stood when the entry was first seen
 * (entries with a lower `seq`) plus the entry itself, by event time. A redelivery finds the
 * same entry with the same `seq` and so the same findings. An outflow is judged on the window
 * before it; an inflow that arrives after outflows it precedes (out of order) is judged on the
 * outflows of the window after it, and raises the pattern they now complete.
 */
export function decideRouting(
  own: LoggedEntry,
  log: readonly LoggedEntry[],
  config: RulesConfig,
): RoutingFinding[] {
  const earlier = log.filter((e) => e.seq < own.seq);
  const inflows = earlier.filter((e) => e.kind === 'inflow');
  const third = earlier.filter((e) => e.kind === 'outflow' && e.thirdCountry);
  const foreign = earlier.filter((e) => e.kind === 'outflow' && e.foreignVasp !== null);
  const at = time(own);
  const found: Array<RoutingFinding | null> = [];
  if (own.kind === 'outflow') {
    if (own.thirdCountry) found.push(passThrough(at, inflows, [...third, own], config, 'outflow'));
    if (own.foreignVasp !== null) {
      found.push(fanOut(at, inflows, [...foreign, own], config, 'outflow'));
    }
    return found.filter((f): f is RoutingFinding => f !== null);
  }
  const ins = [...inflows, own];
  const lastWithin = (outs: LoggedEntry[], hours: number): number | null => {
    const until = at + hours * HOUR_MS;
    const times = outs.map(time).filter((t) => t >= at && t <= until);
    return times.length === 0 ? null : Math.max(...times);
  };
  const passAt = lastWithin(third, config.routingWindowHours);
  if (passAt !== null) found.push(passThrough(passAt, ins, third, config, 'late-inflow'));
  const fanAt = lastWithin(foreign, config.fanOutWindowHours);
  if (fanAt !== null) found.push(fanOut(fanAt, ins, foreign, config, 'late-inflow'));
  return found.filter((f): f is RoutingFinding => f !== null);
}

/**
 * Adds an entry to an account's log, once per eventId (a redelivery gets its first entry
 * back), then prunes: entries more than two windows older than the newest go (no event within
 * a window of the newest can need them), and beyond the cap the oldest go. The Redis store
 * does the same in one script; this is its reference, used by the tests. `seen` is the log
 * before pruning, which is what the entry is judged on.
 */
export function appendRouting(
  log: RoutingLog,
  entry: RoutingEntry,
  config: RulesConfig,
): { log: RoutingLog; own: LoggedEntry; seen: LoggedEntry[] } {
  const found = log.entries.find((e) => e.eventId === entry.eventId);
  if (found !== undefined) return { log, own: found, seen: log.entries };
  const own: LoggedEntry = { ...entry, seq: log.nextSeq };
  const all = [...log.entries, own];
  const newest = Math.max(...all.map(time));
  const keepFrom = newest - 2 * config.routingWindowHours * HOUR_MS;
  const kept = all
    .filter((e) => time(e) >= keepFrom)
    .sort(byTime)
    .slice(-config.routingMaxEntriesPerAccount);
  return { log: { nextSeq: log.nextSeq + 1, entries: kept }, own, seen: all };
}
