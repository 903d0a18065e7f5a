import type { Rate } from '@sekimori/contracts';
import { EnrichmentKeys } from './enrichment-keys';
import { guardRedis, type RedisClient, RedisScript } from '@sekimori/redis';
import type { PinRequest, RatesPort } from '@sekimori/screening';

/**
 * Keeps a rate only if it is newer than the stored one, for each rate given, atomically: two
 * screener instances consuming different partitions of `rates.v1`, or a replay of old rates,
 * must never put an older price over a newer one. A rate with the same `at` as the stored one
 * is ignored (the first one stays), so replays change nothing.
 * KEYS[1] latest-rates hash; ARGV: asset, at (ms), jpy, repeated. Returns how many were kept.
 */
const PUT_RATES = new RedisScript(`
local kept = 0
for i = 1, #ARGV, 3 do
  local asset, at, jpy = ARGV[i], tonumber(ARGV[i + 1]), ARGV[i + 2]
  local current = redis.call('HGET', KEYS[1], asset)
  local newer = true
  if current then
    local space = string.find(current, ' ', 1, true)
    newer = at > tonumber(string.sub(current, 1, space - 1))
  end
  if newer then
    redis.call('HSET', KEYS[1], asset, ARGV[i + 1] .. ' ' .. jpy)
    kept = kept + 1
  end
end
return kept
`);

/**
 * The rate each event is valued with, pinned the first time the event is screened: per item,
 * the pinned value if there is one, else the latest rate of the asset (or "-" when there is
 * none), which is then pinned for ARGV[1] ms. Atomic, so two screeners valuing the same event
 * at once pin one rate.
 * KEYS[1] latest-rates hash, KEYS[1 + i] pin key of item i; ARGV[1] pin TTL ms, ARGV[1 + i]
 * asset of item i. Returns per item "<at ms> <jpy>" or "-".
 */
const PIN_RATES = new RedisScript(`
local out = {}
for i = 2, #KEYS do
  local pinned = redis.call('GET', KEYS[i])
  if not pinned then
    pinned = redis.call('HGET', KEYS[1], ARGV[i]) or '-'
    redis.call('SET', KEYS[i], pinned, 'PX', ARGV[1])
  end
  out[i - 1] = pinned
end
return out
`);

/**
 * Read-only twin of PIN_RATES for the screening API: per item, the pinned rate, else the latest
 * rate of its asset, pinning nothing. KEYS and ARGV as PIN_RATES' (ARGV[1] unused).
 */
const PEEK_RATES = new RedisScript(`
local out = {}
for i = 2, #KEYS do
  out[i - 1] = redis.call('GET', KEYS[i]) or redis.call('HGET', KEYS[1], ARGV[i]) or '-'
end
return out
`);

/** `"<at ms> <jpy>"` → the yen price; `"-"` (pinned absence) → null. */
function priceOf(stored: string | null): string | null {
  if (!stored || stored === '-') return null;
  return stored.slice(stored.indexOf(' ') + 1);
}

/**
 * The latest yen rate per asset from `rates.v1`, shared by every screener instance. Asset
 * symbols are compared exactly as the producers write them (the contract spells them `BTC`).
 */
export class RatesStore implements RatesPort {
  private readonly keys: EnrichmentKeys;

  constructor(
    private readonly redis: RedisClient,
    keyPrefix: string,
  ) {
    this.keys = new EnrichmentKeys(keyPrefix);
  }

  /** Stores the rate unless a rate at the same or a later time is stored; true if stored. */
  async put(rate: Rate): Promise<boolean> {
    return (await this.putMany([rate])) === 1;
  }

  /** `put` for a whole batch in one round trip; returns how many rates were kept. */
  async putMany(rates: readonly Rate[]): Promise<number> {
    if (rates.length === 0) return 0;
    const args: string[] = [];
    for (const rate of rates) {
      const at = Date.parse(rate.at);
      if (Number.isNaN(at))
        throw new Error(`rate for ${rate.asset} has an unreadable time '${rate.at}'`);
      args.push(rate.asset, String(at), rate.jpy);
    }
    const kept = await guardRedis('rates put', () =>
      PUT_RATES.run(this.redis, [this.keys.latestRates()], args),
    );
    return Number(kept);
  }

  /** The latest rate (yen per unit, decimal string) of each asset that has one, in one HMGET. */
  async getMany(assets: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (assets.length === 0) return out;
    const values = await guardRedis('rates get', () =>
      this.redis.hmget(this.keys.latestRates(), ...assets),
    );
    assets.forEach((asset, i) => {
      const price = priceOf(values[i]);
      if (price !== null) out.set(asset, price);
    });
    return out;
  }

  /**
   * The rate to value each event with (null: none), in one round trip: the rate pinned for the
   * event when it was first screened, else the latest rate of its asset, pinned now for
   * `holdMs`. Why: a redelivered or replayed event must raise no new alert (docs/shared-contract.md),
   * but rates move; valued at today's rate, a ¥29M transfer redelivered after a crash could
   * become a ¥31M payment report that the first delivery did not raise, and an event first
   * screened without a rate (VALUATION_MISSING) could raise a report on replay. Pinning the
   * absence of a rate too keeps a replay's findings exactly those of the first delivery.
   */
  async pinMany(items: readonly PinRequest[], holdMs: number): Promise<Map<string, string | null>> {
    if (!Number.isInteger(holdMs) || holdMs < 1) throw new Error(`invalid pin time ${holdMs} ms`);
    return this.pinned(PIN_RATES, 'rates pin', items, holdMs);
  }

  /** What `pinMany` would return now, pinning nothing (the screening API is read-only). */
  peekMany(items: readonly PinRequest[]): Promise<Map<string, string | null>> {
    return this.pinned(PEEK_RATES, 'rates peek', items, 0);
  }

  private async pinned(
    script: RedisScript,
    what: string,
    items: readonly PinRequest[],
    holdMs: number,
  ): Promise<Map<string, string | null>> {
    const out = new Map<string, string | null>();
    if (items.length === 0) return out;
    const keys = [this.keys.latestRates(), ...items.map((i) => this.keys.ratePin(i.eventId))];
    const args = [String(holdMs), ...items.map((i) => i.asset)];
    const replies = (await guardRedis(what, () => script.run(this.redis, keys, args))) as string[];
    items.forEach((item, i) => out.set(item.eventId, priceOf(replies[i])));
    return out;
  }
}
