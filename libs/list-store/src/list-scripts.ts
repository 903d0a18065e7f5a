import { RedisScript } from '@sekimori/redis';

/** The error a pointer-checking script answers when a list switched since the pointers were read. */
export const STALE_POINTERS = 'SEKIMORI_STALE_POINTERS';

/**
 * Fails a script when the list pointers it was given are no longer the current ones. A script
 * may touch only the keys it declares, and a version's keys can only be declared once its
 * version is known; so the caller reads the registry and the `current` pointers first
 * (`CurrentPointers`) and passes them, and the script, atomically, checks that the registry holds
 * exactly those lists and every pointer still names the version given. On a change (a switch
 * or a new list in between) the caller reads the pointers again and retries.
 *
 * KEYS[1] registry, KEYS[1 + i] current pointer of list i (i = 1..m). ARGV[1] m; ARGV[2i],
 * ARGV[2i + 1] list id and expected version ('' for none).
 */
const CHECK_POINTERS = `
local m = tonumber(ARGV[1])
if redis.call('SCARD', KEYS[1]) ~= m then
  return redis.error_reply('${STALE_POINTERS} the registry changed')
end
for i = 1, m do
  local id, expected = ARGV[2 * i], ARGV[2 * i + 1]
  if redis.call('SISMEMBER', KEYS[1], id) == 0 or (redis.call('GET', KEYS[1 + i]) or '') ~= expected then
    return redis.error_reply('${STALE_POINTERS} ' .. id .. ' switched')
  end
end
`;

/**
 * HMGETs ARGV[from..to] on one hash; hits hold 0-based indexes counted from ARGV[from].
 * `appendHits` adds one version's `hits, nameHits` to the reply: its address hash KEYS[k] read
 * for the entry keys ARGV[firstKey..lastKey], its name index KEYS[k + 1] for the name keys after.
 */
const HMGET_FUNCTIONS = `
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
local function appendHits(reply, k, firstKey, lastKey)
  reply[#reply + 1] = hmget(KEYS[k], firstKey, lastKey)
  reply[#reply + 1] = hmget(KEYS[k + 1], lastKey + 1, #ARGV)
end
`;

/**
 * CHECK_POINTERS, then `prelude`, then for each list with a current version: its id, its
 * version and what `read` appends, given `data`, the index in KEYS of the list's first own key
 * (each list declares `keysPerList`). The reply is the flat list of those.
 */
function perCurrentList(prelude: string, read: string, keysPerList: number): string {
  return `${CHECK_POINTERS}${prelude}
local reply = {}
local data = 2 + m
for i = 1, m do
  local id, version = ARGV[2 * i], ARGV[2 * i + 1]
  if version ~= '' then
    reply[#reply + 1] = id
    reply[#reply + 1] = version
    ${read}
    data = data + ${keysPerList}
  end
end
return reply
`;
}

/**
 * The screener's lookup, one round trip per batch while no list switches. For every registered
 * list it checks the current pointer (CHECK_POINTERS) and HMGETs the keys on that version,
 * inside one script execution: a switch or a cleanup cannot run between the check and the
 * HMGET, so a reader never sees a version that is half written or already dropped.
 * Counterparty names are looked up in the same execution, on the same version's name index.
 *
 * KEYS and ARGV[1..2m+1] as CHECK_POINTERS', then KEYS: per list with a version, its address
 * hash and name index. ARGV[2m+2] n, the number of entry keys; then the n entry keys; then the
 * name keys. Reply: flat quadruples `listId, version, hits, nameHits` where hits = `index,
 * json, ...` (0-based index into the entry keys, resp. the name keys): misses cost nothing on
 * the wire.
 */
export const LOOKUP_SCRIPT = new RedisScript(
  perCurrentList(
    `${HMGET_FUNCTIONS}
local firstKey = 2 * m + 3
local lastKey = firstKey + tonumber(ARGV[2 * m + 2]) - 1`,
    'appendHits(reply, data, firstKey, lastKey)',
    2,
  ),
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
 * Only the candidates given (the caller's SMEMBERS of the versions set) are considered, so that
 * their keys are declared; a version registered since is left to the next cleanup.
 *
 * KEYS: current, versions, history, then per candidate its address hash, name index and meta.
 * ARGV: retain, then the candidate versions. Reply: the dropped versions.
 */
export const DROP_OLD_SCRIPT = new RedisScript(
  `
local current = redis.call('GET', KEYS[1])
local keep = {}
if current then keep[current] = true end
for _, v in ipairs(redis.call('ZREVRANGE', KEYS[3], 0, tonumber(ARGV[1]) - 1)) do keep[v] = true end
local dropped = {}
for i = 2, #ARGV do
  local v = ARGV[i]
  if not keep[v] and redis.call('SISMEMBER', KEYS[2], v) == 1 then
    local k = 3 * (i - 1)
    redis.call('DEL', KEYS[k + 1], KEYS[k + 2], KEYS[k + 3])
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
 * KEYS[1] registry (routing only), then per version its meta, address hash and name index.
 * ARGV[1] n entry keys; ARGV[2] m versions; then m pairs `listId, version`; then the n entry
 * keys; then the name keys. A version whose meta is gone (dropped, or never written) is
 * answered as an error naming it.
 */
export const LOOKUP_AT_SCRIPT = new RedisScript(
  `${HMGET_FUNCTIONS}
local n, m = tonumber(ARGV[1]), tonumber(ARGV[2])
local firstKey = 3 + 2 * m
local lastKey = firstKey + n - 1
local reply = {}
for i = 1, m do
  local id, version = ARGV[1 + 2 * i], ARGV[2 + 2 * i]
  local k = 3 * (i - 1) + 1
  if redis.call('EXISTS', KEYS[k + 1]) == 0 then
    return redis.error_reply('SEKIMORI_UNKNOWN_VERSION ' .. id .. ':' .. version)
  end
  reply[#reply + 1] = id
  reply[#reply + 1] = version
  appendHits(reply, k + 2, firstKey, lastKey)
end
return reply
`,
  'lookup-at',
);

/**
 * The current version and its meta for every registered list, read atomically.
 * KEYS and ARGV as CHECK_POINTERS', then KEYS: per list with a version, its meta.
 * Reply: flat triples `listId, version, HGETALL meta`.
 */
export const VERSIONS_SCRIPT = new RedisScript(
  perCurrentList('', "reply[#reply + 1] = redis.call('HGETALL', KEYS[data])", 1),
  'versions',
);

/**
 * Records that a list's source was found to hold the version still current (a 304 Not Modified),
 * only if that version is still current and complete: a switch in between wins.
 *
 * KEYS: current, meta of the version. ARGV: version, checkedAt. Reply: 1 recorded, 0 not.
 */
export const RECORD_CHECK_SCRIPT = new RedisScript(
  `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
redis.call('HSET', KEYS[2], 'checkedAt', ARGV[2])
return 1
`,
  'record-check',
);
