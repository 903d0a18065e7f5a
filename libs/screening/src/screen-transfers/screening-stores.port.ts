import type { ExposurePath, LoggedEntry, RoutingEntry, StructuringState } from '@sekimori/rules';
import type { ListEntry } from '@sekimori/list-sources';
import type { ListNameIndex, NameListHit } from '@sekimori/name-matching';
import type { ClearancesPort, FreezesPort } from '../reviews/review-records.port';

/** A listed entry found for an address, with the list version it was read from. */
export type ListHit = ListEntry & { listId: string; listVersion: string };

/** What one look-up on the pinned list versions found. */
export interface ListLookup {
  /** Every current list as `listId:version`, sorted, joined by `,` (e.g. `ofac-sdn:1a2b3c4d5e6f7a8b`). */
  listVersion: string;
  /** listId -> version of every list the lookup read. */
  versions: Record<string, string>;
  /** Only the keys that are listed; `listVersion` of a hit is that list's version id. */
  hits: Map<string, ListHit[]>;
  /** Only the name keys found in a list's name index (see name-matching's name-matcher). */
  nameHits: Map<string, NameListHit[]>;
}

/** A rate to pin to an event the first time it is valued. */
export interface PinRequest {
  eventId: string;
  asset: string;
}

/** A counted transfer in its account's structuring window. */
export interface StructuringItem {
  accountId: string;
  eventId: string;
  /** ISO-8601 time with a zone: the event's time, not the time it was consumed. */
  occurredAt: string;
  /** Decimal string, yen. */
  valueJpy: string;
}

/** The entry an exchange transfer adds to its account's routing log. */
export interface RoutingItem {
  exchangeId: string;
  accountId: string;
  entry: RoutingEntry;
}

/** An entry as logged and the account's log it is judged on (`decideRouting`). */
export interface RoutingRecord {
  own: LoggedEntry;
  log: LoggedEntry[];
}

/** The sanctions lists: address and name keys looked up against the current versions. */
export interface ListsPort {
  lookup(keys: readonly string[], nameKeys?: readonly string[]): Promise<ListLookup>;
}

/** The in-process name index of each list version the lookup pinned. */
export interface NamesPort {
  indexesFor(versions: Readonly<Record<string, string>>): Promise<ListNameIndex[]>;
}

/** Yen rates: pinned per event (record), peeked (preview), or the latest per asset. */
export interface RatesPort {
  pinMany(items: readonly PinRequest[], holdMs: number): Promise<Map<string, string | null>>;
  peekMany(items: readonly PinRequest[]): Promise<Map<string, string | null>>;
  getMany(assets: readonly string[]): Promise<Map<string, string>>;
}

/** Each account's structuring window: recorded once per eventId, or previewed. */
export interface StructuringWindowsPort {
  record(items: readonly StructuringItem[]): Promise<Map<string, StructuringState>>;
  preview(items: readonly StructuringItem[]): Promise<Map<string, StructuringState>>;
}

/** The exposure graph: each node's paths from a listed address. */
export interface ExposuresPort {
  get(nodeKeys: readonly string[]): Promise<Map<string, ExposurePath[]>>;
  record(created: ReadonlyMap<string, readonly ExposurePath[]>): Promise<void>;
}

/** Each account's routing log (THIRD_COUNTRY_ROUTING). */
export interface RoutingLogsPort {
  record(items: readonly RoutingItem[]): Promise<Map<string, RoutingRecord>>;
  preview(items: readonly RoutingItem[]): Promise<Map<string, RoutingRecord>>;
}

/**
 * The use case's port: what it needs of its stores. The adapters (the Redis stores in
 * production, in-memory fakes in unit tests) implement it; it depends on none of them.
 */
export interface ScreeningStores {
  lists: ListsPort;
  names: NamesPort;
  rates: RatesPort;
  windows: StructuringWindowsPort;
  exposures: ExposuresPort;
  routing: RoutingLogsPort;
  /** Standing clearances (reviews); without it no match is ever suppressed. */
  clearances?: ClearancesPort;
  /** Frozen subjects (confirmed reviews); without it CONFIRMED_MATCH never fires. */
  freezes?: FreezesPort;
}
