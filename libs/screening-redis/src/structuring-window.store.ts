import Decimal from 'decimal.js';
import type { StructuringState } from '@sekimori/rules';
import { EnrichmentKeys } from './enrichment-keys';
import { guardRedis, type RedisClient, RedisScript } from '@sekimori/redis';
import type { StructuringItem, StructuringWindowsPort } from '@sekimori/screening';

const DAY_MS = 86_400_000;

/**
 * Exact arithmetic on the JS side: the default decimal.js precision (20 significant digits)
 * would round a long yen value before it is turned into sen.
 */
const Exact = Decimal.clone({ precision: 300 });

/**
 * Records a batch of counted transfers and returns, for each, the window sum before and after
 * it, atomically and once per eventId (a redelivery gets its first result). Sums are integer
 * sen, exact in Lua's doubles below 2^53 and refused beyond; numbers leave Lua through
 * string.format('%.0f'), never tostring(). Why the window counts newer entries too, and what
 * that costs a late event: docs/rules.md, STRUCTURING.
 * KEYS: per item, window zset, window values hash, running total, result key.
 * ARGV: window ms, result TTL ms, window-key TTL ms, window days; then per item eventId, t (ms), sen.
 * Returns per item "<before sen> <after sen> <days>".
 */
const RECORD = new RedisScript(`
local windowMs = tonumber(ARGV[1])
local resultTtl, keyTtl, days = ARGV[2], ARGV[3], ARGV[4]
local LIMIT = 9007199254740992
local CHUNK = 500
local out = {}

local function int(x) return string.format('%.0f', x) end

for i = 1, #KEYS / 4 do
  local zset, values, total, resultKey = KEYS[4 * i - 3], KEYS[4 * i - 2], KEYS[4 * i - 1], KEYS[4 * i]
  local a = 4 + 3 * (i - 1)
  local eventId, tText, senText = ARGV[a + 1], ARGV[a + 2], ARGV[a + 3]
  local stored = redis.call('GET', resultKey)
  if stored then
    out[i] = stored
  else
    local sum = redis.call('GET', total)
    if sum then
      sum = tonumber(sum)
    else
      -- No running total (first use of the account, or lost): rebuild it from the values.
      sum = 0
      for _, v in ipairs(redis.call('HVALS', values)) do sum = sum + tonumber(v) end
    end
    local expired = redis.call('ZRANGEBYSCORE', zset, '-inf', int(tonumber(tText) - windowMs))
    for first = 1, #expired, CHUNK do
      local ids = { unpack(expired, first, math.min(first + CHUNK - 1, #expired)) }
      for _, v in ipairs(redis.call('HMGET', values, unpack(ids))) do
        if v then sum = sum - tonumber(v) end
      end
      redis.call('ZREM', zset, unpack(ids))
      redis.call('HDEL', values, unpack(ids))
    end
    -- The event itself is still counted only if its first result expired before it came back.
    local own = redis.call('HGET', values, eventId)
    local before = sum - (own and tonumber(own) or 0)
    local after = before + tonumber(senText)
    if after >= LIMIT then
      return redis.error_reply('ERR structuring window sum reached 2^53 sen for ' .. zset)
    end
    redis.call('ZADD', zset, tText, eventId)
    redis.call('HSET', values, eventId, senText)
    redis.call('SET', total, int(after), 'PX', keyTtl)
    redis.call('PEXPIRE', zset, keyTtl)
    redis.call('PEXPIRE', values, keyTtl)
    local result = int(before) .. ' ' .. int(after) .. ' ' .. days
    redis.call('SET', resultKey, result, 'PX', resultTtl)
    out[i] = result
  end
end
return out
`);

/**
 * Read-only twin of RECORD for the screening API: per item, the stored first result of the
 * event, else what RECORD would return now (entries at or before t − window left out, the
 * event's own earlier value not counted twice). Writes nothing.
 * KEYS, ARGV and the reply as RECORD's.
 */
const PREVIEW = new RedisScript(`
local windowMs = tonumber(ARGV[1])
local days = ARGV[4]
local out = {}
local function int(x) return string.format('%.0f', x) end
for i = 1, #KEYS / 4 do
  local zset, values, total, resultKey = KEYS[4 * i - 3], KEYS[4 * i - 2], KEYS[4 * i - 1], KEYS[4 * i]
  local a = 4 + 3 * (i - 1)
  local eventId, t, sen = ARGV[a + 1], tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3])
  local stored = redis.call('GET', resultKey)
  if stored then
    out[i] = stored
  else
    local sum = 0
    local counted = redis.call('ZRANGEBYSCORE', zset, '(' .. int(t - windowMs), '+inf')
    for first = 1, #counted, 500 do
      local ids = { unpack(counted, first, math.min(first + 499, #counted)) }
      for j, v in ipairs(redis.call('HMGET', values, unpack(ids))) do
        if v and ids[j] ~= eventId then sum = sum + tonumber(v) end
      end
    end
    out[i] = int(sum) .. ' ' .. int(sum + sen) .. ' ' .. days
  end
end
return out
`);

/**
 * Yen to integer sen, rounded up. Sub-sen fractions only arise from amount × rate; rounding
 * each value up means the window never under-counts: it may cross the threshold up to one sen
 * per transfer early, never late.
 */
function toSen(valueJpy: string): string {
  const sen = new Exact(valueJpy).times(100).toDecimalPlaces(0, Decimal.ROUND_UP);
  if (sen.isNegative() || !sen.isFinite())
    throw new Error(`value ${valueJpy} cannot be counted in a window`);
  if (sen.gt(Number.MAX_SAFE_INTEGER))
    throw new Error(`value ${valueJpy} is too large to count in a window`);
  return sen.toFixed(0);
}

function senToYen(sen: string): string {
  return new Exact(sen).div(100).toFixed();
}

/**
 * Per-account rolling windows of cross-border transfers for STRUCTURING, kept in Redis so that
 * they survive restarts and are shared by every screener instance.
 */
export class StructuringWindowStore implements StructuringWindowsPort {
  private readonly keys: EnrichmentKeys;
  private readonly windowMs: number;

  constructor(
    private readonly redis: RedisClient,
    keyPrefix: string,
    readonly windowDays: number,
  ) {
    if (!Number.isInteger(windowDays) || windowDays < 1) {
      throw new Error(`structuring window must be a whole number of days >= 1, got ${windowDays}`);
    }
    this.keys = new EnrichmentKeys(keyPrefix);
    this.windowMs = windowDays * DAY_MS;
  }

  /** Counts each item in its account's window (once per eventId); one round trip for all. */
  record(items: readonly StructuringItem[]): Promise<Map<string, StructuringState>> {
    return this.run(RECORD, 'structuring window record', items);
  }

  /**
   * What `record` would return for each item, without counting anything (the screening API is
   * read-only): the window with the transfer included, or the event's first result.
   */
  preview(items: readonly StructuringItem[]): Promise<Map<string, StructuringState>> {
    return this.run(PREVIEW, 'structuring window preview', items);
  }

  private async run(
    script: RedisScript,
    what: string,
    items: readonly StructuringItem[],
  ): Promise<Map<string, StructuringState>> {
    const states = new Map<string, StructuringState>();
    if (items.length === 0) return states;
    const keys: string[] = [];
    const args = [
      String(this.windowMs),
      String(2 * this.windowMs),
      String(this.windowMs + DAY_MS),
      String(this.windowDays),
    ];
    for (const item of items) {
      const t = Date.parse(item.occurredAt);
      if (Number.isNaN(t))
        throw new Error(`event ${item.eventId} has an unreadable time '${item.occurredAt}'`);
      keys.push(
        this.keys.windowEvents(item.accountId),
        this.keys.windowValues(item.accountId),
        this.keys.windowTotal(item.accountId),
        this.keys.windowResult(item.eventId),
      );
      args.push(item.eventId, String(t), toSen(item.valueJpy));
    }
    const replies = (await guardRedis(what, () => script.run(this.redis, keys, args))) as string[];
    items.forEach((item, i) => {
      const [before, after, days] = replies[i].split(' ');
      states.set(item.eventId, {
        windowSumBeforeJpy: senToYen(before),
        windowSumAfterJpy: senToYen(after),
        windowDays: Number(days),
      });
    });
    return states;
  }
}
