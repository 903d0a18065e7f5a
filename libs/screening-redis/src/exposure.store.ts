import { guardRedis, type RedisClient, RedisScript } from '@sekimori/redis';
import { type ExposurePath, pathRank } from '@sekimori/rules';
import type { ExposuresPort } from '@sekimori/screening';
import { EnrichmentKeys } from './enrichment-keys';

const DAY_MS = 86_400_000;

/**
 * Every path of each node, in one call. KEYS: node keys. Returns per key its hash as
 * [field, value, ...] (HGETALL); the caller sorts by field, which is the path's rank.
 */
const READ = new RedisScript(`
local out = {}
for i = 1, #KEYS do out[i] = redis.call('HGETALL', KEYS[i]) end
return out
`);

/**
 * Adds paths to nodes. A path already held keeps its first value (HSETNX: a redelivery never
 * rewrites what an alert cited); past the cap, the fields that sort last (most hops) go. Every
 * written node's TTL starts again. KEYS: node keys; ARGV: TTL ms, cap, then per key the number
 * of paths n and n pairs field, JSON.
 */
const RECORD = new RedisScript(`
local ttl, cap = ARGV[1], tonumber(ARGV[2])
local a = 3
for i = 1, #KEYS do
  local n = tonumber(ARGV[a])
  for j = 1, n do
    redis.call('HSETNX', KEYS[i], ARGV[a + 2 * j - 1], ARGV[a + 2 * j])
  end
  a = a + 1 + 2 * n
  if redis.call('HLEN', KEYS[i]) > cap then
    local fields = redis.call('HKEYS', KEYS[i])
    table.sort(fields)
    for j = cap + 1, #fields do redis.call('HDEL', KEYS[i], fields[j]) end
  end
  redis.call('PEXPIRE', KEYS[i], ttl)
end
return #KEYS
`);

/**
 * The exposure graph's state: per address or exchange account, the paths by which funds from a
 * listed address reached it (INDIRECT_EXPOSURE over several hops), in Redis so that every
 * screener instance sees them and a restart forgets nothing. docs/rules.md gives the sizes.
 */
export class ExposureStore implements ExposuresPort {
  private readonly keys: EnrichmentKeys;
  private readonly ttlMs: number;

  constructor(
    private readonly redis: RedisClient,
    keyPrefix: string,
    ttlDays: number,
    private readonly maxPaths: number,
  ) {
    if (!Number.isInteger(ttlDays) || ttlDays < 1) {
      throw new Error(`exposure TTL must be a whole number of days >= 1, got ${ttlDays}`);
    }
    if (!Number.isInteger(maxPaths) || maxPaths < 1) {
      throw new Error(`exposure path cap must be a whole number >= 1, got ${maxPaths}`);
    }
    this.keys = new EnrichmentKeys(keyPrefix);
    this.ttlMs = ttlDays * DAY_MS;
  }

  /** The paths of each node that has any, best first; one round trip for the batch. */
  async get(nodeKeys: readonly string[]): Promise<Map<string, ExposurePath[]>> {
    const out = new Map<string, ExposurePath[]>();
    if (nodeKeys.length === 0) return out;
    const replies = (await guardRedis('exposure get', () =>
      READ.run(
        this.redis,
        nodeKeys.map((k) => this.keys.exposurePaths(k)),
        [],
      ),
    )) as string[][];
    nodeKeys.forEach((key, i) => {
      const flat = replies[i];
      if (flat.length === 0) return;
      const fields: Array<[string, string]> = [];
      for (let j = 0; j < flat.length; j += 2) fields.push([flat[j], flat[j + 1]]);
      fields.sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
      out.set(
        key,
        fields.map(([, json]) => JSON.parse(json) as ExposurePath),
      );
    });
    return out;
  }

  /** Adds each node's new paths (see RECORD), in one script call for the batch. */
  async record(created: ReadonlyMap<string, readonly ExposurePath[]>): Promise<void> {
    if (created.size === 0) return;
    const keys: string[] = [];
    const args = [String(this.ttlMs), String(this.maxPaths)];
    for (const [key, paths] of created) {
      keys.push(this.keys.exposurePaths(key));
      args.push(String(paths.length));
      for (const path of paths) args.push(pathRank(path), JSON.stringify(path));
    }
    await guardRedis('exposure record', () => RECORD.run(this.redis, keys, args));
  }
}
