import Decimal from 'decimal.js';
import { ScreeningUnavailableError } from '@sekimori/contracts';
import {
  appendRouting,
  type ExposurePath,
  mergePaths,
  type RoutingLog,
  type RulesConfig,
  type StructuringState,
  validateRulesConfig,
} from '@sekimori/rules';
import { type ListNameIndex, NameSearchIndex, type StoredName } from '@sekimori/name-matching';
import type {
  ListHit,
  ListLookup,
  PinRequest,
  RoutingItem,
  RoutingRecord,
  ScreeningStores,
  StructuringItem,
} from '../screen-transfers/screening-stores.port';

const DAY_MS = 86_400_000;

/**
 * In-memory stand-ins for the use case's Redis stores, for its unit tests: the same promises
 * (first pin kept, a window counts an event once, first exposure source kept) without Redis.
 * The Redis stores themselves are tested on the real Redis (test/enrichment, test/lists).
 */
export class InMemoryStores {
  /** Writes made, by store, so a test can tell a preview (none) from a recording. */
  readonly writes: string[] = [];
  /** When set, every store call fails as Redis does when it is away. */
  down = false;

  readonly listed = new Map<string, ListHit[]>();
  readonly latestRates = new Map<string, string>();
  readonly pins = new Map<string, string | null>();
  readonly windows = new Map<string, Array<{ eventId: string; t: number; yen: string }>>();
  readonly windowResults = new Map<string, StructuringState>();
  readonly exposed = new Map<string, ExposurePath[]>();
  readonly routingLogs = new Map<string, RoutingLog>();

  constructor(
    readonly listVersion = 'ofac-sdn:v1',
    readonly config: RulesConfig = validateRulesConfig({}),
  ) {}

  get windowDays(): number {
    return this.config.structuringWindowDays;
  }

  private check(): void {
    if (this.down) throw new ScreeningUnavailableError('REDIS_UNAVAILABLE', 'Redis is away');
  }

  readonly lists = {
    lookup: async (keys: readonly string[]): Promise<ListLookup> => {
      this.check();
      const hits = new Map<string, ListHit[]>();
      for (const key of keys) {
        const found = this.listed.get(key);
        if (found) hits.set(key, found);
      }
      const [listId, version] = this.listVersion.split(':');
      return {
        listVersion: this.listVersion,
        versions: { [listId]: version },
        hits,
        nameHits: new Map(),
      };
    },
  };

  /** Listed names (NAME_MATCH), indexed as NameIndexCache does for the one list version. */
  listedNames: StoredName[] = [];

  readonly names = {
    indexesFor: async (versions: Readonly<Record<string, string>>): Promise<ListNameIndex[]> => {
      this.check();
      return Object.entries(versions).map(([listId, listVersion]) => ({
        listId,
        listVersion,
        index: new NameSearchIndex(this.listedNames),
      }));
    },
  };

  readonly rates = {
    pinMany: async (items: readonly PinRequest[]): Promise<Map<string, string | null>> => {
      this.check();
      const out = new Map<string, string | null>();
      for (const { eventId, asset } of items) {
        if (!this.pins.has(eventId)) {
          this.pins.set(eventId, this.latestRates.get(asset) ?? null);
          this.writes.push(`pin ${eventId}`);
        }
        out.set(eventId, this.pins.get(eventId) ?? null);
      }
      return out;
    },
    peekMany: async (items: readonly PinRequest[]): Promise<Map<string, string | null>> => {
      this.check();
      return new Map(
        items.map(({ eventId, asset }) => [
          eventId,
          this.pins.has(eventId)
            ? (this.pins.get(eventId) ?? null)
            : (this.latestRates.get(asset) ?? null),
        ]),
      );
    },
    getMany: async (assets: readonly string[]): Promise<Map<string, string>> => {
      this.check();
      return new Map(
        assets.flatMap((a) =>
          this.latestRates.has(a) ? [[a, this.latestRates.get(a) as string]] : [],
        ),
      );
    },
  };

  private windowState(item: StructuringItem): StructuringState {
    const t = Date.parse(item.occurredAt);
    const counted = (this.windows.get(item.accountId) ?? []).filter(
      (e) => e.t > t - this.windowDays * DAY_MS && e.eventId !== item.eventId,
    );
    const before = counted.reduce((sum, e) => sum.plus(e.yen), new Decimal(0));
    return {
      windowSumBeforeJpy: before.toFixed(),
      windowSumAfterJpy: before.plus(item.valueJpy).toFixed(),
      windowDays: this.windowDays,
    };
  }

  readonly windowsStore = {
    record: async (items: readonly StructuringItem[]): Promise<Map<string, StructuringState>> => {
      this.check();
      const out = new Map<string, StructuringState>();
      for (const item of items) {
        let state = this.windowResults.get(item.eventId);
        if (state === undefined) {
          state = this.windowState(item);
          this.windowResults.set(item.eventId, state);
          const account = this.windows.get(item.accountId) ?? [];
          account.push({
            eventId: item.eventId,
            t: Date.parse(item.occurredAt),
            yen: item.valueJpy,
          });
          this.windows.set(item.accountId, account);
          this.writes.push(`window ${item.eventId}`);
        }
        out.set(item.eventId, state);
      }
      return out;
    },
    preview: async (items: readonly StructuringItem[]): Promise<Map<string, StructuringState>> => {
      this.check();
      return new Map(
        items.map((item) => [
          item.eventId,
          this.windowResults.get(item.eventId) ?? this.windowState(item),
        ]),
      );
    },
  };

  readonly exposures = {
    get: async (keys: readonly string[]): Promise<Map<string, ExposurePath[]>> => {
      this.check();
      return new Map(
        keys.flatMap((k) =>
          this.exposed.has(k) ? [[k, this.exposed.get(k) as ExposurePath[]]] : [],
        ),
      );
    },
    record: async (created: ReadonlyMap<string, readonly ExposurePath[]>): Promise<void> => {
      this.check();
      for (const [key, paths] of created) {
        this.exposed.set(
          key,
          mergePaths(this.exposed.get(key) ?? [], paths, this.config.exposureMaxPathsPerAddress),
        );
        this.writes.push(`exposure ${key}`);
      }
    },
  };

  /** Routing logs by account, appended as the Redis store does (`appendRouting` is its reference). */
  private routed(items: readonly RoutingItem[], write: boolean): Map<string, RoutingRecord> {
    this.check();
    const logs = new Map(this.routingLogs);
    const out = new Map<string, RoutingRecord>();
    for (const item of items) {
      const account = `${item.exchangeId}\u0000${item.accountId}`;
      const log = logs.get(account) ?? { nextSeq: 1, entries: [] };
      const appended = appendRouting(log, item.entry, this.config);
      logs.set(account, appended.log);
      out.set(item.entry.eventId, { own: appended.own, log: appended.seen });
      if (write && appended.log !== log) this.writes.push(`routing ${item.entry.eventId}`);
    }
    if (write) for (const [account, log] of logs) this.routingLogs.set(account, log);
    return out;
  }

  readonly routing = {
    record: async (items: readonly RoutingItem[]) => this.routed(items, true),
    preview: async (items: readonly RoutingItem[]) => this.routed(items, false),
  };

  /** The shape the use case takes (`windows` is a map here, so the store is `windowsStore`). */
  asStores(): ScreeningStores {
    return {
      lists: this.lists,
      rates: this.rates,
      windows: this.windowsStore,
      exposures: this.exposures,
      routing: this.routing,
      names: this.names,
    };
  }
}
