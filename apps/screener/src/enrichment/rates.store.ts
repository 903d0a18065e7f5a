import type Redis from 'ioredis';
import type { Rate } from '@sekimori/contracts';
import { EnrichmentKeys } from './enrichment-keys';
import { guardRedis, RedisScript } from './redis-script';

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
 * The latest yen rate per asset from `rates.v1`, shared by every screener instance. Asset
 * symbols are compared exactly as the producers write them (the contract spells them `BTC`).
 */
export class RatesStore {
  private readonly keys: EnrichmentKeys;

  constructor(
    private readonly redis: Redis,
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
      const stored = values[i];
      if (stored) out.set(asset, stored.slice(stored.indexOf(' ') + 1));
    });
    return out;
  }
}
