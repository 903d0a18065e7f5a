import type Redis from 'ioredis';
import type { ListSide } from '@sekimori/contracts';
import { guardRedis, RedisScript } from '@sekimori/redis';
import {
  type AddressExposure,
  exposingMatch,
  exposureSourceOf,
  type ExposureSource,
  type ScreeningContext,
} from '@sekimori/rules';
import { EnrichmentKeys } from './enrichment-keys';

const DAY_MS = 86_400_000;

/**
 * Records exposures: per key, the source unless the address has one already (the first source
 * is kept, so a redelivery, or a second transfer from a sanctioned address, never rewrites what
 * an earlier alert cited), and in every case the TTL starts again: an address stays exposed
 * for the configured time after it last received funds from a sanctioned address.
 * KEYS: exposure keys; ARGV[1] TTL ms, ARGV[1 + i] JSON source of key i.
 */
const RECORD = new RedisScript(`
for i = 1, #KEYS do
  if not redis.call('SET', KEYS[i], ARGV[i + 1], 'NX', 'PX', ARGV[1]) then
    redis.call('PEXPIRE', KEYS[i], ARGV[1])
  end
end
return #KEYS
`);

/**
 * Addresses that received funds directly from a sanctioned address on `transfers.onchain.v1`,
 * kept in Redis so that every screener instance sees them and a restart forgets nothing.
 * Keyed by the address's list lookup key: all spellings of an address, and all EVM chains,
 * share one record, as they share list entries.
 */
export class ExposureStore {
  private readonly keys: EnrichmentKeys;
  private readonly ttlMs: number;

  constructor(
    private readonly redis: Redis,
    keyPrefix: string,
    ttlDays: number,
  ) {
    if (!Number.isInteger(ttlDays) || ttlDays < 1) {
      throw new Error(`exposure TTL must be a whole number of days >= 1, got ${ttlDays}`);
    }
    this.keys = new EnrichmentKeys(keyPrefix);
    this.ttlMs = ttlDays * DAY_MS;
  }

  /** The recorded exposure of each address key that has one, in one MGET. */
  async get(addressKeys: readonly string[]): Promise<Map<string, ExposureSource>> {
    const out = new Map<string, ExposureSource>();
    if (addressKeys.length === 0) return out;
    const values = await guardRedis('exposure get', () =>
      this.redis.mget(addressKeys.map((k) => this.keys.exposure(k))),
    );
    addressKeys.forEach((key, i) => {
      const stored = values[i];
      if (stored !== null) out.set(key, JSON.parse(stored) as ExposureSource);
    });
    return out;
  }

  /** Records each address key's exposure (see RECORD), in one script call for the batch. */
  async record(exposures: ReadonlyMap<string, ExposureSource>): Promise<void> {
    if (exposures.size === 0) return;
    const keys: string[] = [];
    const args = [String(this.ttlMs)];
    for (const [key, source] of exposures) {
      keys.push(this.keys.exposure(key));
      args.push(JSON.stringify(source));
    }
    await guardRedis('exposure record', () => RECORD.run(this.redis, keys, args));
  }
}

/** What the batch pass needs of a transfer: its addresses and its list matches. */
export interface ExposureItem {
  transfer: {
    chain: string;
    event: ScreeningContext['event'];
    addresses: ReadonlyArray<{ side: ListSide; canonical: string; key: string }>;
  };
  matches: ScreeningContext['matches'];
}

export interface TrackedExposures {
  /** Per item, in batch order: its addresses that carry an exposure. */
  exposures: AddressExposure[][];
  /** The exposures the batch creates, to be recorded. */
  created: Map<string, ExposureSource>;
}

/**
 * Each item's exposures, in batch order, from the stored records and from the exposures earlier
 * items of the same batch create (events of one partition are screened in order, so a transfer
 * out of an address right after the transfer into it is caught even when both arrive in one
 * batch). An address already exposed keeps its first source, as the store does.
 */
export function trackExposures(
  items: readonly ExposureItem[],
  stored: ReadonlyMap<string, ExposureSource>,
): TrackedExposures {
  const known = new Map(stored);
  const created = new Map<string, ExposureSource>();
  const exposures = items.map(({ transfer, matches }) => {
    const found: AddressExposure[] = [];
    for (const address of transfer.addresses) {
      const source = known.get(address.key);
      if (source === undefined) continue;
      found.push({ side: address.side, chain: transfer.chain, address: address.canonical, source });
    }
    const match = exposingMatch({ event: transfer.event, matches });
    const to = transfer.addresses.find((a) => a.side === 'to');
    if (match !== null && to !== undefined) {
      const source = known.get(to.key) ?? exposureSourceOf(transfer, match);
      known.set(to.key, source);
      if (!created.has(to.key)) created.set(to.key, source);
    }
    return found;
  });
  return { exposures, created };
}
