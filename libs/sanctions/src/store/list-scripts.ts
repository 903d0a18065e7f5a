import { RedisScript } from '@sekimori/redis';

/**
 * The screener's lookup, one round trip per batch. For every registered list it reads the
 * current pointer and HMGETs the keys on that version, inside one script execution: a switch
 * or a cleanup cannot run between the GET and the HMGET, so a reader never sees a version that
 * is half written or already dropped. Counterparty names are looked up in the same execution,
 * on the same version's name index, for the same reason.
 *
 * KEYS[1] registry; ARGV[1] key base `{prefix}:lists:`; ARGV[2] n, the number of entry keys;
 * ARGV[3..n+2] entry keys; ARGV[n+3..] name keys.
 * Reply: flat quadruples `listId, version, hits, nameHits` where hits = `index, json, ...`
 * (0-based index into the entry keys, resp. the name keys): misses cost nothing on the wire.
 *
 * The version keys are built inside the script; they carry the same hash tag as KEYS[1], so
 * in Redis Cluster they live in the slot the script was routed to.
 */
export const LOOKUP_SCRIPT = new RedisScript(
  `
local base = ARGV[1]
local lastKey = 2 + tonumber(ARGV[2])
-- HMGETs ARGV[from..to] on one hash; hits hold 0-based indexes counted from ARGV[from].
local function hmget(hash, from, to)
  local hits = {}
  -- unpack() is bounded by Lua's C stack (LUAI_MAXCSTACK = 8000): read in slices.
  for first = from, to, 1000 do
    local last = math.min(first + 999, to)
    local values = redis.call('HMGET', hash, unpack(ARGV, first, last))
    for j = 1, #values do
      if values[j] then
        hits[#hits + 1] = first + j - 1 - from
        hits[#hits + 1] = values[j]
      end
    end
  end
  return hits
end
local ids = redis.call('SMEMBERS', KEYS[1])
local reply = {}
for i = 1, #ids do
  local id = ids[i]
  local version = redis.call('GET', base .. id .. ':current')
  if version then
    local stem = base .. id .. ':v:' .. version
    reply[#reply + 1] = id
    reply[#reply + 1] = version
    reply[#reply + 1] = hmget(stem .. ':addr', 3, lastKey)
    reply[#reply + 1] = hmget(stem .. ':names', lastKey + 1, #ARGV)
  end
end
return reply
`,
  'lookup',
);

/**
 * Makes a fully written version current, registers the list and announces the switch, all at
 * once. It refuses a version whose address hash (or name index) does not hold the number of
 * keys its meta announces: that happens when a concurrent loader's cleanup dropped it while it
 * was written.
 *
 * KEYS: current, registry, meta, addresses, names, history. ARGV: listId, version, issuedAt,
 * channel, switch time (ms). Reply: the previous version or nil.
 */
export const SWITCH_SCRIPT = new RedisScript(
  `
local expected = redis.call('HGET', KEYS[3], 'keys')
if not expected then
  return redis.error_reply('SEKIMORI_INCOMPLETE_VERSION meta of ' .. ARGV[2] .. ' is missing')
end
local actual = redis.call('HLEN', KEYS[4])
if tonumber(expected) ~= actual then
  return redis.error_reply('SEKIMORI_INCOMPLETE_VERSION ' .. ARGV[2] .. ' holds ' .. actual .. ' of ' .. expected .. ' keys')
end
local nameKeys = redis.call('HGET', KEYS[3], 'nameKeys')
if nameKeys and tonumber(nameKeys) ~= redis.call('HLEN', KEYS[5]) then
  return redis.error_reply('SEKIMORI_INCOMPLETE_VERSION ' .. ARGV[2] .. ' name index holds ' .. redis.call('HLEN', KEYS[5]) .. ' of ' .. nameKeys .. ' keys')
end
local previous = redis.call('GET', KEYS[1])
redis.call('SET', KEYS[1], ARGV[2])
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[6], ARGV[5], ARGV[2])
redis.call('PUBLISH', ARGV[4], cjson.encode({
  listId = ARGV[1], version = ARGV[2], previousVersion = previous or cjson.null, issuedAt = ARGV[3] }))
return previous
`,
  'switch',
);

/**
 * Drops the versions of a list that are neither current nor among the `retain` most recently
 * switched to (its history), and the versions written but never switched to (an abandoned load).
 * Retained versions are what an audit replays past decisions against. The current version is
 * read inside the script, so the version readers use is never dropped, whoever switched last.
 *
 * KEYS: current, versions, history. ARGV: key base, listId, retain. Reply: the dropped versions.
 */
export const DROP_OLD_SCRIPT = new RedisScript(
  `
local current = redis.call('GET', KEYS[1])
local keep = {}
if current then keep[current] = true end
for _, v in ipairs(redis.call('ZREVRANGE', KEYS[3], 0, tonumber(ARGV[3]) - 1)) do keep[v] = true end
local dropped = {}
for _, v in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  if not keep[v] then
    local stem = ARGV[1] .. ARGV[2] .. ':v:' .. v
    redis.call('DEL', stem .. ':addr', stem .. ':names', stem .. ':meta')
    redis.call('SREM', KEYS[2], v)
    redis.call('ZREM', KEYS[3], v)
    dropped[#dropped + 1] = v
  end
end
return dropped
`,
  'drop-old',
);

/**
 * The given versions, each looked up as LOOKUP_SCRIPT looks up the current one (audit replay).
 * KEYS[1] registry; ARGV[1] key base; ARGV[2] n entry keys; ARGV[3] m list pairs; then m pairs
 * `listId, version`; then the n entry keys; then the name keys. A version whose meta is gone
 * (dropped, or never written) is answered as an error naming it.
 */
export const LOOKUP_AT_SCRIPT = new RedisScript(
  `
local base = ARGV[1]
local n, m = tonumber(ARGV[2]), tonumber(ARGV[3])
local firstKey = 4 + 2 * m
local lastKey = firstKey + n - 1
local function hmget(hash, from, to)
  local hits = {}
  for first = from, to, 1000 do
    local last = math.min(first + 999, to)
    local values = redis.call('HMGET', hash, unpack(ARGV, first, last))
    for j = 1, #values do
      if values[j] then
        hits[#hits + 1] = first + j - 1 - from
        hits[#hits + 1] = values[j]
      end
    end
  end
  return hits
end
local reply = {}
for i = 0, m - 1 do
  local id, version = ARGV[4 + 2 * i], ARGV[5 + 2 * i]
  local stem = base .. id .. ':v:' .. version
  if redis.call('EXISTS', stem .. ':meta') == 0 then
    return redis.error_reply('SEKIMORI_UNKNOWN_VERSION ' .. id .. ':' .. version)
  end
  reply[#reply + 1] = id
  reply[#reply + 1] = version
  reply[#reply + 1] = hmget(stem .. ':addr', firstKey, lastKey)
  reply[#reply + 1] = hmget(stem .. ':names', lastKey + 1, #ARGV)
end
return reply
`,
  'lookup-at',
);

/**
 * The current version and its meta for every registered list, read atomically.
 * KEYS[1] registry; ARGV[1] key base. Reply: flat triples `listId, version, HGETALL meta`.
 */
export const VERSIONS_SCRIPT = new RedisScript(
  `
local base = ARGV[1]
local ids = redis.call('SMEMBERS', KEYS[1])
local reply = {}
for i = 1, #ids do
  local version = redis.call('GET', base .. ids[i] .. ':current')
  if version then
    reply[#reply + 1] = ids[i]
    reply[#reply + 1] = version
    reply[#reply + 1] = redis.call('HGETALL', base .. ids[i] .. ':v:' .. version .. ':meta')
  end
end
return reply
`,
  'versions',
);
