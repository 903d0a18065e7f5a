import {
  type Clearance,
  type Decision,
  type ReviewOutcome,
  ScreeningUnavailableError,
} from '@sekimori/contracts';
import { guardRedis, type RedisClient, RedisScript } from '@sekimori/redis';
import type { FreezeRef } from '@sekimori/rules';
import {
  type AlertRecord,
  type AppliedOutcome,
  type ApplyResult,
  awaitsReview,
  type FreezeRecord,
  type HeldEvent,
  type HeldRecord,
  type ReviewRecordsPort,
  type ReviewToApply,
} from '@sekimori/screening';
import { EnrichmentKeys } from './enrichment-keys';

const DAY_MS = 86_400_000;

/**
 * Records screened events, per KEYS[i] (an event hash): ARGV[1] TTL ms, ARGV[1 + 2i - 1] the
 * held JSON ('' when the event has nothing to review), ARGV[1 + 2i] its pending alert ids,
 * comma-joined. An event whose final decision is decided is left as it is. Returns per key 1
 * when it is final, else 0.
 */
const RECORD_SCREENED = new RedisScript(`
local out = {}
for i = 1, #KEYS do
  local held, pending = ARGV[2 * i], ARGV[2 * i + 1]
  if redis.call('HEXISTS', KEYS[i], 'finalBy') == 1 then
    out[i] = 1
  else
    out[i] = 0
    if held ~= '' then
      redis.call('HSET', KEYS[i], 'held', held)
      for id in string.gmatch(pending, '[^,]+') do redis.call('HSET', KEYS[i], 'p:' .. id, '1') end
      redis.call('PEXPIRE', KEYS[i], ARGV[1])
    end
  end
end
return out
`);

/**
 * Applies one review outcome. KEYS[1] the review's applied mark, KEYS[2] the event hash; ARGV
 * position, alertId, reviewId, outcome, TTL ms. Once per reviewId (another position is a
 * duplicate; the same one is a retry of the same message and gives the same answer), once per
 * alert, and the review that gives the last pending outcome is recorded as completing the event.
 * Returns {'duplicate'}, {'unknown'}, {'reviewed', by} or {'applied', completes, hash fields}.
 */
const APPLY_REVIEW = new RedisScript(`
local at = redis.call('GET', KEYS[1])
if at and at ~= ARGV[1] then return {'duplicate'} end
if redis.call('EXISTS', KEYS[2]) == 0 then return {'unknown'} end
local field = 'o:' .. ARGV[2]
if ARGV[4] ~= 'released' then
  local o = redis.call('HGET', KEYS[2], field)
  if o then
    local by = string.match(o, '^[^|]*|[^|]*|(.*)$')
    if by ~= ARGV[3] then return {'reviewed', by} end
  else
    local n = redis.call('HINCRBY', KEYS[2], 'n', 1)
    redis.call('HSET', KEYS[2], field, n .. '|' .. ARGV[4] .. '|' .. ARGV[3])
  end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[5])
local all = redis.call('HGETALL', KEYS[2])
local fields = {}
for i = 1, #all, 2 do fields[all[i]] = all[i + 1] end
local pending, done = 0, 0
for k, _ in pairs(fields) do
  if string.sub(k, 1, 2) == 'p:' then
    pending = pending + 1
    if fields['o:' .. string.sub(k, 3)] then done = done + 1 end
  end
end
local completes = 0
if ARGV[4] ~= 'released' and pending > 0 and done == pending then
  local by = fields['finalBy']
  if not by then
    redis.call('HSET', KEYS[2], 'finalBy', ARGV[3])
    by = ARGV[3]
  end
  if by == ARGV[3] then completes = 1 end
end
return {'applied', completes, all}
`);

/** Sets a field of a hash only while the hash exists (it keeps its TTL). KEYS[1]; ARGV field, value. */
const SET_IF_PRESENT = new RedisScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
return 0
`);

/**
 * Keeps a clearance under its subject and its id, unless it was revoked. KEYS[1] the subject's
 * hash, KEYS[2] the id's key, KEYS[3] its revoked mark, KEYS[4] the clearances by expiry; ARGV
 * clearanceId, JSON, subjectKey, keep-until (ms), expiresAt (ms), now (ms). Both keys live until
 * the latest keep-until of the subject's clearances (PEXPIRETIME: Redis 7). Returns 1 when kept.
 */
const PUT_CLEARANCE = new RedisScript(`
if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('SET', KEYS[2], ARGV[3])
local keep = tonumber(ARGV[4])
for i = 1, 2 do
  local current = redis.call('PEXPIRETIME', KEYS[i])
  if current < keep then redis.call('PEXPIREAT', KEYS[i], keep) end
end
redis.call('ZADD', KEYS[4], ARGV[5], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', '(' .. ARGV[6])
return 1
`);

/**
 * Revokes a clearance for good. KEYS[1] the id's key, KEYS[2] its subject's hash (KEYS[1] again
 * when the subject is unknown), KEYS[3] the revoked mark, KEYS[4] the clearances by expiry; ARGV
 * the id, the mark's TTL (ms) when the clearance is not here to lend its own, revokedAt. The
 * clearance stays in its subject's hash with `revokedAt` (a replay of earlier events applies
 * it). Returns the clearance's JSON as it was, or false when none was in force.
 */
const REVOKE_CLEARANCE = new RedisScript(`
local stored = false
if KEYS[2] ~= KEYS[1] then
  stored = redis.call('HGET', KEYS[2], ARGV[1])
  if stored then
    local clearance = cjson.decode(stored)
    if clearance['revokedAt'] then
      stored = false
    else
      clearance['revokedAt'] = ARGV[3]
      redis.call('HSET', KEYS[2], ARGV[1], cjson.encode(clearance))
    end
  end
end
local keep = redis.call('PEXPIRETIME', KEYS[1])
if keep > 0 then
  redis.call('SET', KEYS[3], '1', 'PXAT', keep)
else
  redis.call('SET', KEYS[3], '1', 'PX', ARGV[2])
end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[4], ARGV[1])
return stored
`);

/**
 * A freeze, its place in the frozen set and in the subject's history. KEYS[1] the freeze,
 * KEYS[2] the set, KEYS[3] the history; ARGV JSON, subject, alertId.
 */
const FREEZE = new RedisScript(`
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SADD', KEYS[2], ARGV[2])
redis.call('HSETNX', KEYS[3], ARGV[3], ARGV[1])
return 0
`);

/**
 * Lifts the freeze a confirmed review of ARGV[1] (alertId) made, and marks it released in the
 * history. KEYS as FREEZE; ARGV alertId, subject, releasedAt. Returns 1 when a freeze was lifted.
 */
const RELEASE = new RedisScript(`
local logged = redis.call('HGET', KEYS[3], ARGV[1])
if logged then
  local freeze = cjson.decode(logged)
  if not freeze['releasedAt'] then
    freeze['releasedAt'] = ARGV[3]
    redis.call('HSET', KEYS[3], ARGV[1], cjson.encode(freeze))
  end
end
local stored = redis.call('GET', KEYS[1])
if not stored then return 0 end
if cjson.decode(stored)['alertId'] ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[2], ARGV[2])
return 1
`);

/**
 * Puts fields of a held event back (a rebuild). KEYS[1] the event hash; ARGV[1] TTL ms, then
 * field, value pairs. `n` (the outcome counter) only grows; the hash keeps the longer TTL.
 */
const RESTORE_EVENT = new RedisScript(`
for i = 2, #ARGV, 2 do
  if ARGV[i] == 'n' then
    local n = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')
    if tonumber(ARGV[i + 1]) > n then redis.call('HSET', KEYS[1], 'n', ARGV[i + 1]) end
  else
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
  end
end
local ttl = tonumber(ARGV[1])
if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
return 0
`);

/** `o:<alertId>` values, `<n>|<outcome>|<reviewId>`, in the order they were applied. */
function outcomesOf(fields: ReadonlyMap<string, string>): AppliedOutcome[] {
  const found: Array<AppliedOutcome & { n: number }> = [];
  for (const [field, value] of fields) {
    if (!field.startsWith('o:')) continue;
    const [n, outcome, ...rest] = value.split('|');
    found.push({
      alertId: field.slice(2),
      reviewId: rest.join('|'),
      outcome: outcome as ReviewOutcome,
      n: Number(n),
    });
  }
  return found.sort((a, b) => a.n - b.n).map(({ n: _n, ...o }) => o);
}

function pairs(flat: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) map.set(flat[i], flat[i + 1]);
  return map;
}

/**
 * The review working set in Redis (keys in EnrichmentKeys): alert records, held events with
 * their outcomes, applied reviews. Everything expires after REVIEW_WINDOW_DAYS.
 */
export class ReviewStore implements ReviewRecordsPort {
  private readonly keys: EnrichmentKeys;
  private readonly ttlMs: number;

  /**
   * @param requireRebuilt the screener's: a freeze read on a Redis without the "rebuilt" marker
   *   (flushed or replaced while running) throws a retriable error instead of answering "not
   *   frozen", so batches wait until ReviewRebuild has put the standing effects back.
   */
  constructor(
    private readonly redis: RedisClient,
    keyPrefix: string,
    windowDays: number,
    private readonly requireRebuilt = false,
  ) {
    this.keys = new EnrichmentKeys(keyPrefix);
    this.ttlMs = windowDays * DAY_MS;
  }

  async recordScreened(
    events: readonly HeldEvent[],
    eventIds: readonly string[],
  ): Promise<Set<string>> {
    if (eventIds.length === 0) return new Set();
    const heldOf = new Map(events.map((e) => [e.decision.eventId, e]));
    const args = [String(this.ttlMs)];
    for (const eventId of eventIds) {
      const held = heldOf.get(eventId);
      args.push(held === undefined ? '' : JSON.stringify(held));
      args.push(
        held === undefined
          ? ''
          : held.alerts
              .filter((a) => a.action === 'hold' || a.action === 'review')
              .map((a) => a.alertId)
              .join(','),
      );
    }
    const alerts = events.flatMap((e) => e.alerts);
    const [finals] = await guardRedis('review records', () =>
      Promise.all([
        RECORD_SCREENED.run(
          this.redis,
          eventIds.map((id) => this.keys.reviewEvent(id)),
          args,
        ) as Promise<number[]>,
        alerts.length === 0 ? Promise.resolve() : this.putAlerts(alerts),
      ]),
    );
    return new Set(eventIds.filter((_, i) => finals[i] === 1));
  }

  private async putAlerts(alerts: readonly AlertRecord[]): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const alert of alerts) {
      pipeline.set(this.keys.reviewAlert(alert.alertId), JSON.stringify(alert), 'PX', this.ttlMs);
    }
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([error]) => error);
    if (failed?.[0]) throw failed[0];
  }

  async alert(alertId: string): Promise<AlertRecord | null> {
    const [marker, stored] = await guardRedis('review records', () =>
      this.redis.mget(this.keys.reviewsRebuilt(), this.keys.reviewAlert(alertId)),
    );
    // Fail closed, as the freeze read does: an emptied Redis would refuse a good review.
    this.assertRebuilt(marker);
    return stored === null ? null : (JSON.parse(stored) as AlertRecord);
  }

  private assertRebuilt(marker: string | null): void {
    if (this.requireRebuilt && marker === null) {
      throw new ScreeningUnavailableError(
        'REDIS_UNAVAILABLE',
        'the review state (clearances, freezes, held events) is not in Redis (flushed or replaced): waiting for its rebuild',
      );
    }
  }

  /**
   * Puts a held event, an outcome or a final decision back from the effects topic. A record
   * older than the review window is left out, as Redis would have let it expire; false then.
   */
  async restore(record: HeldRecord): Promise<boolean> {
    const ttl = Date.parse(record.at) + this.ttlMs - Date.now();
    if (!(ttl > 0)) return false;
    const eventId = record.kind === 'held' ? record.event.decision.eventId : record.eventId;
    const fields: string[] = [];
    const pipeline = this.redis.pipeline();
    switch (record.kind) {
      case 'held': {
        fields.push('held', JSON.stringify(record.event));
        for (const alert of record.event.alerts) {
          if (awaitsReview(alert.action)) fields.push(`p:${alert.alertId}`, '1');
          pipeline.set(this.keys.reviewAlert(alert.alertId), JSON.stringify(alert), 'PX', ttl);
        }
        break;
      }
      case 'outcome':
        fields.push(
          `o:${record.alertId}`,
          `${record.n}|${record.outcome}|${record.reviewId}`,
          'n',
          String(record.n),
        );
        pipeline.set(this.keys.reviewApplied(record.reviewId), record.position, 'PX', ttl);
        break;
      case 'final':
        fields.push('finalBy', record.finalBy, 'final', JSON.stringify(record.decision));
        break;
    }
    await guardRedis('review records', async () => {
      await RESTORE_EVENT.run(
        this.redis,
        [this.keys.reviewEvent(eventId)],
        [String(ttl), ...fields],
      );
      const results = (await pipeline.exec()) ?? [];
      const failed = results.find(([error]) => error);
      if (failed?.[0]) throw failed[0];
    });
    return true;
  }

  async outcomeOf(alertId: string, eventId: string): Promise<AppliedOutcome | null> {
    const value = await guardRedis('review records', () =>
      this.redis.hget(this.keys.reviewEvent(eventId), `o:${alertId}`),
    );
    if (value === null) return null;
    return outcomesOf(new Map([[`o:${alertId}`, value]]))[0] ?? null;
  }

  async apply(review: ReviewToApply): Promise<ApplyResult> {
    const reply = (await guardRedis('review records', () =>
      APPLY_REVIEW.run(
        this.redis,
        [this.keys.reviewApplied(review.reviewId), this.keys.reviewEvent(review.eventId)],
        [review.position, review.alertId, review.reviewId, review.outcome, String(this.ttlMs)],
      ),
    )) as [string, ...unknown[]];
    switch (reply[0]) {
      case 'duplicate':
        return { kind: 'duplicate' };
      case 'unknown':
        return { kind: 'unknown' };
      case 'reviewed':
        return { kind: 'reviewed', by: String(reply[1]) };
      default: {
        const fields = pairs(reply[2] as string[]);
        const held = fields.get('held');
        return {
          kind: 'applied',
          completes: reply[1] === 1,
          event: held === undefined ? null : (JSON.parse(held) as HeldEvent),
          outcomes: outcomesOf(fields),
        };
      }
    }
  }

  async finalised(decision: Decision): Promise<void> {
    await guardRedis('review records', () =>
      SET_IF_PRESENT.run(
        this.redis,
        [this.keys.reviewEvent(decision.eventId)],
        ['final', JSON.stringify(decision)],
      ),
    );
  }

  async forSubjects(subjectKeys: readonly string[]): Promise<Map<string, Clearance[]>> {
    const found = new Map<string, Clearance[]>();
    if (subjectKeys.length === 0) return found;
    const pipeline = this.redis.pipeline();
    for (const subject of subjectKeys) pipeline.hvals(this.keys.clearances(subject));
    const results = await guardRedis('clearances', async () => (await pipeline.exec()) ?? []);
    results.forEach(([error, values], i) => {
      if (error) throw error;
      const list = (values as string[]).map((v) => JSON.parse(v) as Clearance);
      if (list.length > 0) found.set(subjectKeys[i], list);
    });
    return found;
  }

  async clearance(clearanceId: string): Promise<Clearance | null> {
    const subject = await guardRedis('clearances', () =>
      this.redis.get(this.keys.clearanceId(clearanceId)),
    );
    if (subject === null) return null;
    const stored = await guardRedis('clearances', () =>
      this.redis.hget(this.keys.clearances(subject), clearanceId),
    );
    const clearance = stored === null ? null : (JSON.parse(stored) as Clearance);
    return clearance?.revokedAt === undefined ? clearance : null;
  }

  async put(clearances: readonly Clearance[]): Promise<Clearance[]> {
    const kept: Clearance[] = [];
    for (const c of clearances) {
      // Kept past its expiry for as long as a review window, so the alert can say it expired.
      const expires = Date.parse(c.expiresAt);
      const keepUntil = expires + this.ttlMs;
      const put = await guardRedis('clearances', () =>
        PUT_CLEARANCE.run(
          this.redis,
          [
            this.keys.clearances(c.subjectKey),
            this.keys.clearanceId(c.clearanceId),
            this.keys.clearanceRevoked(c.clearanceId),
            this.keys.clearancesByExpiry(),
          ],
          [
            c.clearanceId,
            JSON.stringify(c),
            c.subjectKey,
            String(keepUntil),
            String(expires),
            String(Date.now()),
          ],
        ),
      );
      if (put === 1) kept.push(c);
    }
    return kept;
  }

  async revoke(clearanceId: string, revokedAt: string): Promise<Clearance | null> {
    const idKey = this.keys.clearanceId(clearanceId);
    const subject = await guardRedis('clearances', () => this.redis.get(idKey));
    const stored = await guardRedis('clearances', () =>
      REVOKE_CLEARANCE.run(
        this.redis,
        [
          idKey,
          subject === null ? idKey : this.keys.clearances(subject),
          this.keys.clearanceRevoked(clearanceId),
          this.keys.clearancesByExpiry(),
        ],
        // A revocation replayed without its clearance (compacted away) is marked for a window.
        [clearanceId, String(this.ttlMs), revokedAt],
      ),
    );
    return typeof stored === 'string' ? (JSON.parse(stored) as Clearance) : null;
  }

  /**
   * The gauges' counts: clearances kept and not past expiresAt (revoked ones are gone; one
   * voided by a list change counts until it expires, since only a match can tell), and frozen
   * subjects. Two O(log n) reads, whatever the number of clearances.
   */
  async counts(): Promise<{ clearancesInForce: number; frozenSubjects: number }> {
    const [inForce, frozen] = await guardRedis('review records', () =>
      Promise.all([
        this.redis.zcount(this.keys.clearancesByExpiry(), `(${Date.now()}`, '+inf'),
        this.redis.scard(this.keys.frozenSubjects()),
      ]),
    );
    return { clearancesInForce: inForce, frozenSubjects: frozen };
  }

  async frozen(subjectKeys: readonly string[]): Promise<Map<string, FreezeRef>> {
    const found = new Map<string, FreezeRef>();
    if (subjectKeys.length === 0) return found;
    const [marker, ...values] = await guardRedis('freezes', () =>
      this.redis.mget([this.keys.reviewsRebuilt(), ...subjectKeys.map((s) => this.keys.freeze(s))]),
    );
    // Fail closed: an empty Redis would answer "not frozen" for a frozen account.
    this.assertRebuilt(marker);
    values.forEach((v, i) => {
      if (v !== null) found.set(subjectKeys[i], JSON.parse(v) as FreezeRef);
    });
    return found;
  }

  async freeze(freeze: FreezeRef): Promise<void> {
    // No expiry: a freeze holds until a released review lifts it.
    await guardRedis('freezes', () =>
      FREEZE.run(this.redis, this.freezeKeys(freeze.subjectKey), [
        JSON.stringify(freeze),
        freeze.subjectKey,
        freeze.alertId,
      ]),
    );
  }

  async release(subjectKey: string, alertId: string, releasedAt: string): Promise<boolean> {
    const released = await guardRedis('freezes', () =>
      RELEASE.run(this.redis, this.freezeKeys(subjectKey), [alertId, subjectKey, releasedAt]),
    );
    return released === 1;
  }

  async history(subjectKeys: readonly string[]): Promise<Map<string, FreezeRecord[]>> {
    const found = new Map<string, FreezeRecord[]>();
    if (subjectKeys.length === 0) return found;
    const pipeline = this.redis.pipeline();
    pipeline.get(this.keys.reviewsRebuilt());
    for (const subject of subjectKeys) pipeline.hvals(this.keys.freezeLog(subject));
    const [marker, ...results] = await guardRedis(
      'freezes',
      async () => (await pipeline.exec()) ?? [],
    );
    if (marker?.[0]) throw marker[0];
    // Fail closed, as the freeze read does: an emptied Redis has no history either.
    this.assertRebuilt((marker?.[1] as string | null | undefined) ?? null);
    results.forEach(([error, values], i) => {
      if (error) throw error;
      const list = (values as string[]).map((v) => JSON.parse(v) as FreezeRecord);
      if (list.length > 0) found.set(subjectKeys[i], list);
    });
    return found;
  }

  private freezeKeys(subjectKey: string): string[] {
    return [
      this.keys.freeze(subjectKey),
      this.keys.frozenSubjects(),
      this.keys.freezeLog(subjectKey),
    ];
  }

  /** Whether this Redis holds the standing effects (rebuilt, or kept since the first start). */
  async isRebuilt(): Promise<boolean> {
    const marker = await guardRedis('review records', () =>
      this.redis.get(this.keys.reviewsRebuilt()),
    );
    return marker !== null;
  }

  async markRebuilt(at: string): Promise<void> {
    await guardRedis('review records', () => this.redis.set(this.keys.reviewsRebuilt(), at));
  }

  /** The final decision kept for an event, if it has one. */
  async finalOf(eventId: string): Promise<Decision | null> {
    const stored = await guardRedis('review records', () =>
      this.redis.hget(this.keys.reviewEvent(eventId), 'final'),
    );
    return stored === null ? null : (JSON.parse(stored) as Decision);
  }
}
