import { guardRedis, type RedisClient, RedisScript } from '@sekimori/redis';
import {
  appendRouting,
  type LoggedEntry,
  type RoutingEntry,
  type RoutingLog,
  type RulesConfig,
} from '@sekimori/rules';
import type { RoutingItem, RoutingLogsPort, RoutingRecord } from '@sekimori/screening';
import { EnrichmentKeys } from './enrichment-keys';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Appends a batch's entries to their accounts' logs, once per eventId (a redelivery gets the
 * sequence number it had), then returns each account's whole log and prunes it: entries more
 * than `retain` ms older than the newest, and beyond the cap the oldest, as `appendRouting`.
 * KEYS: per item, entries hash, times zset, sequence counter.
 * ARGV: retain ms, cap, key TTL ms; then per item eventId, time ms, entry JSON.
 * Returns { per item its seq, per item its log's index, the logs (HVALS) }.
 */
const RECORD = new RedisScript(`
local retain, cap, ttl = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
local seqs, which, logs, seen = {}, {}, {}, {}
for i = 1, #KEYS / 3 do
  local entries, times, counter = KEYS[3 * i - 2], KEYS[3 * i - 1], KEYS[3 * i]
  local a = 3 + 3 * (i - 1)
  local eventId, t, json = ARGV[a + 1], ARGV[a + 2], ARGV[a + 3]
  local stored = redis.call('HGET', entries, eventId)
  if stored then
    seqs[i] = tonumber(string.match(stored, '^(%d+)|'))
  else
    seqs[i] = redis.call('INCR', counter)
    redis.call('HSET', entries, eventId, seqs[i] .. '|' .. json)
    redis.call('ZADD', times, t, eventId)
  end
  if not seen[entries] then
    seen[entries] = { times, counter }
    logs[#logs + 1] = entries
  end
  which[i] = entries
end
local index, out = {}, {}
for n, entries in ipairs(logs) do
  index[entries] = n
  out[n] = redis.call('HVALS', entries)
  local times, counter = seen[entries][1], seen[entries][2]
  local newest = redis.call('ZRANGE', times, -1, -1, 'WITHSCORES')
  local gone = redis.call('ZRANGEBYSCORE', times, '-inf', '(' .. string.format('%.0f', tonumber(newest[2]) - retain))
  local extra = redis.call('ZCARD', times) - #gone - cap
  if extra > 0 then
    local oldest = redis.call('ZRANGE', times, #gone, #gone + extra - 1)
    for _, id in ipairs(oldest) do gone[#gone + 1] = id end
  end
  for first = 1, #gone, 500 do
    local ids = { unpack(gone, first, math.min(first + 499, #gone)) }
    redis.call('ZREM', times, unpack(ids))
    redis.call('HDEL', entries, unpack(ids))
  end
  redis.call('PEXPIRE', entries, ttl)
  redis.call('PEXPIRE', times, ttl)
  redis.call('PEXPIRE', counter, ttl)
end
for i = 1, #which do which[i] = index[which[i]] end
return { seqs, which, out }
`);

/** Each account's log as it stands, for a preview. KEYS: per account, entries hash, counter. */
const READ = new RedisScript(`
local out = {}
for i = 1, #KEYS / 2 do
  out[i] = { redis.call('HVALS', KEYS[2 * i - 1]), redis.call('GET', KEYS[2 * i]) or '0' }
end
return out
`);

function parseLogged(value: string): LoggedEntry {
  const bar = value.indexOf('|');
  const entry = JSON.parse(value.slice(bar + 1)) as RoutingEntry;
  return { ...entry, seq: Number(value.slice(0, bar)) };
}

/**
 * Per-account routing logs for THIRD_COUNTRY_ROUTING: tainted inflows and foreign outflows by
 * eventId, with the order the screener first saw them, in Redis with a TTL.
 */
export class RoutingStore implements RoutingLogsPort {
  private readonly keys: EnrichmentKeys;

  constructor(
    private readonly redis: RedisClient,
    keyPrefix: string,
    private readonly config: RulesConfig,
  ) {
    this.keys = new EnrichmentKeys(keyPrefix);
  }

  /** Two windows: no event within a window of an account's newest needs an older entry. */
  private get retainMs(): number {
    return 2 * this.config.routingWindowHours * HOUR_MS;
  }

  /** Logs each item (once per eventId) and returns, by eventId, what it is judged on. */
  async record(items: readonly RoutingItem[]): Promise<Map<string, RoutingRecord>> {
    const out = new Map<string, RoutingRecord>();
    if (items.length === 0) return out;
    const keys: string[] = [];
    const args = [
      String(this.retainMs),
      String(this.config.routingMaxEntriesPerAccount),
      String(this.retainMs + DAY_MS),
    ];
    for (const { exchangeId, accountId, entry } of items) {
      const t = Date.parse(entry.at);
      if (Number.isNaN(t)) throw new Error(`event ${entry.eventId} has an unreadable time`);
      keys.push(
        this.keys.routingEntries(exchangeId, accountId),
        this.keys.routingTimes(exchangeId, accountId),
        this.keys.routingSeq(exchangeId, accountId),
      );
      args.push(entry.eventId, String(t), JSON.stringify(entry));
    }
    const [seqs, which, logs] = (await guardRedis('routing record', () =>
      RECORD.run(this.redis, keys, args),
    )) as [number[], number[], string[][]];
    const parsed = logs.map((values) => values.map(parseLogged));
    items.forEach((item, i) => {
      const log = parsed[which[i] - 1];
      const own = log.find((e) => e.eventId === item.entry.eventId) ?? {
        ...item.entry,
        seq: seqs[i],
      };
      out.set(item.entry.eventId, { own, log });
    });
    return out;
  }

  /** As `record` would answer, from the logs as they stand, writing nothing (screening API). */
  async preview(items: readonly RoutingItem[]): Promise<Map<string, RoutingRecord>> {
    const out = new Map<string, RoutingRecord>();
    if (items.length === 0) return out;
    const accounts = [...new Set(items.map((i) => JSON.stringify([i.exchangeId, i.accountId])))];
    const keys = accounts.flatMap((a) => {
      const [exchangeId, accountId] = JSON.parse(a) as [string, string];
      return [
        this.keys.routingEntries(exchangeId, accountId),
        this.keys.routingSeq(exchangeId, accountId),
      ];
    });
    const replies = (await guardRedis('routing preview', () =>
      READ.run(this.redis, keys, []),
    )) as Array<[string[], string]>;
    const logs = new Map<string, RoutingLog>();
    accounts.forEach((a, i) => {
      const [values, counter] = replies[i];
      logs.set(a, { nextSeq: Number(counter) + 1, entries: values.map(parseLogged) });
    });
    for (const item of items) {
      const account = JSON.stringify([item.exchangeId, item.accountId]);
      const appended = appendRouting(logs.get(account) as RoutingLog, item.entry, this.config);
      logs.set(account, appended.log);
      out.set(item.entry.eventId, { own: appended.own, log: appended.seen });
    }
    return out;
  }
}
