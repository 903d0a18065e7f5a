/**
 * Every Redis key of the enrichment state (rates, structuring windows, exposures), in one place.
 *
 * Each store's keys share one hash tag so that Redis Cluster puts them in one slot: a Lua script
 * may only touch keys of one slot, and the structuring script updates the windows of every
 * account in a batch (and their per-event results) in one atomic execution. The two stores use
 * different tags, so that they can live on different slots. The cost of one tag for all accounts
 * is that the structuring state does not spread over a cluster; if it outgrows one slot, group a
 * batch by account, give each account its own tag and pipeline one script call per account.
 *
 * Layout (prefix `sekimori`):
 *   {sekimori:rates}:latest:v1                 HASH   asset -> "<at ms> <jpy>" (latest by `at`)
 *   {sekimori:rates}:pin:v1:<eventId>          STRING the rate an event was first valued with
 *                                                     ("<at ms> <jpy>", or "-" for none)
 *   {sekimori:structuring}:z:v1:<accountId>    ZSET   eventId scored by event time (ms)
 *   {sekimori:structuring}:v:v1:<accountId>    HASH   eventId -> value in integer sen
 *   {sekimori:structuring}:s:v1:<accountId>    STRING running total of the hash, integer sen
 *   {sekimori:structuring}:r:v1:<eventId>      STRING "<before sen> <after sen> <days>", first result
 *   {sekimori:exposure}:p:v2:<nodeKey>         HASH   "<hops>|<pathId>" -> JSON ExposurePath: how
 *                                                     funds from a listed address reached the node
 *   {sekimori:routing}:e:v1:<n>:<exch>:<acct>  HASH  eventId -> "<seq>|<JSON RoutingEntry>"
 *   {sekimori:routing}:t:v1:<n>:<exch>:<acct>  ZSET  eventId scored by event time (ms)
 *   {sekimori:routing}:n:v1:<n>:<exch>:<acct>  STRING the account's next sequence number
 *   {sekimori:retro}:raised:v1:<alertId>       STRING an address or name alert already raised
 *                                                     (live or retroactive): raised once only
 *   {sekimori:retro}:job:v1:<listId>:<version> HASH   a re-screen after a list version: its
 *                                                     range, state and counts
 *   {sekimori:retro}:jobs:v1                   ZSET   re-screen jobs by creation time
 *   {sekimori:reviews}:alert:v1:<alertId>      STRING JSON AlertRecord: what a review of it needs
 *   {sekimori:reviews}:event:v1:<eventId>      HASH   a held event: `held` (JSON), `p:<alertId>`
 *                                                     pending, `o:<alertId>` "<n>|<outcome>|<reviewId>",
 *                                                     `finalBy`, `final` (JSON decision)
 *   {sekimori:reviews}:clear:v1:<subjectKey>   HASH   clearanceId -> JSON Clearance of a subject
 *   {sekimori:reviews}:clearid:v1:<clearanceId> STRING the clearance's subjectKey (to revoke by id)
 *   {sekimori:reviews}:revoked:v1:<clearanceId> STRING a revoked clearance: never kept again
 *   {sekimori:reviews}:inforce:v1              ZSET   clearanceId scored by expiresAt (ms): the
 *                                                     gauge of clearances in force, without a scan
 *   {sekimori:reviews}:frozen:v1               SET    the frozen subject keys (the gauge)
 *   {sekimori:reviews}:freezelog:v1:<subjectKey> HASH alertId -> JSON freeze, with `releasedAt`
 *                                                     once released (replays at the event's time)
 *   {sekimori:reviews}:freeze:v1:<subjectKey> STRING JSON FreezeRef: an account or address frozen
 *                                                     by a confirmed review, until released
 *   {sekimori:reviews}:rebuilt:v1              STRING when the effects topic was replayed into Redis
 *   {sekimori:reviews}:review:v1:<reviewId>    STRING the position (`topic:partition:offset`) that
 *                                                     applied the review: applied once
 *
 * `v1` is the layout version: a change of stored format gets a new version instead of reading
 * old data the wrong way. The kind letter comes before the id, so no account or event id (which
 * may contain ':') can make two kinds of key collide.
 */
/** `<length of the exchange id>:<exchange id>:<account id>`: no two (exchange, account) pairs meet. */
function accountOf(exchangeId: string, accountId: string): string {
  return `${exchangeId.length}:${exchangeId}:${accountId}`;
}

export class EnrichmentKeys {
  private readonly rates: string;
  private readonly structuring: string;
  private readonly exposureTag: string;
  private readonly routing: string;
  private readonly retro: string;
  private readonly reviews: string;

  constructor(readonly prefix: string) {
    if (!/^[A-Za-z0-9._-]+$/.test(prefix)) {
      // Braces would move keys out of the hash tag; colons would blur the layout.
      throw new Error(`invalid Redis key prefix '${prefix}': use letters, digits, '.', '_' or '-'`);
    }
    this.rates = `{${prefix}:rates}`;
    this.retro = `{${prefix}:retro}`;
    this.structuring = `{${prefix}:structuring}`;
    this.exposureTag = `{${prefix}:exposure}`;
    this.routing = `{${prefix}:routing}`;
    this.reviews = `{${prefix}:reviews}`;
  }

  /** Latest rate per asset; one hash so that all assets of a batch come back in one HMGET. */
  latestRates(): string {
    return `${this.rates}:latest:v1`;
  }

  /**
   * The rate an event was valued with the first time it was screened. Under the rates tag, so
   * that one script reads the latest rate and pins it atomically.
   */
  ratePin(eventId: string): string {
    return `${this.rates}:pin:v1:${eventId}`;
  }

  /** An account's counted transfers, scored by event time, for range reads and pruning. */
  windowEvents(accountId: string): string {
    return `${this.structuring}:z:v1:${accountId}`;
  }

  /** An account's counted values in integer sen, by eventId. */
  windowValues(accountId: string): string {
    return `${this.structuring}:v:v1:${accountId}`;
  }

  /** An account's running window total in integer sen (always equal to the sum of its values). */
  windowTotal(accountId: string): string {
    return `${this.structuring}:s:v1:${accountId}`;
  }

  /** The state an event got when it was first counted, returned as is on redelivery. */
  windowResult(eventId: string): string {
    return `${this.structuring}:r:v1:${eventId}`;
  }

  /**
   * A node's exposure paths: an address by its list lookup key (`EventAddress.key`, so every
   * spelling and every EVM chain share one record, as they share list entries) or an account
   * (`accountNodeKey`). `v2`: paths over several hops; the one-hop `:a:v1:` records are not read.
   */
  exposurePaths(nodeKey: string): string {
    return `${this.exposureTag}:p:v2:${nodeKey}`;
  }

  /** An account's routing log entries by eventId (THIRD_COUNTRY_ROUTING). */
  routingEntries(exchangeId: string, accountId: string): string {
    return `${this.routing}:e:v1:${accountOf(exchangeId, accountId)}`;
  }

  /** The same entries scored by event time, for pruning. */
  routingTimes(exchangeId: string, accountId: string): string {
    return `${this.routing}:t:v1:${accountOf(exchangeId, accountId)}`;
  }

  /** The account's next log sequence number: the order in which the screener first saw entries. */
  routingSeq(exchangeId: string, accountId: string): string {
    return `${this.routing}:n:v1:${accountOf(exchangeId, accountId)}`;
  }

  /** An address or name alert that was raised, so that a re-screen never raises it again. */
  raised(alertId: string): string {
    return `${this.retro}:raised:v1:${alertId}`;
  }

  /** One re-screen job: the range of past transfers it covers, its state and its counts. */
  retroJob(listId: string, version: string): string {
    return `${this.retro}:job:v1:${listId}:${version}`;
  }

  /** Every re-screen job (`listId:version`) by creation time. */
  retroJobs(): string {
    return `${this.retro}:jobs:v1`;
  }

  /** What a review of an alert needs, kept REVIEW_WINDOW_DAYS. */
  reviewAlert(alertId: string): string {
    return `${this.reviews}:alert:v1:${alertId}`;
  }

  /** A held event: its alerts, their outcomes and its final decision. */
  reviewEvent(eventId: string): string {
    return `${this.reviews}:event:v1:${eventId}`;
  }

  /** A subject's clearances, by clearanceId. */
  clearances(subjectKey: string): string {
    return `${this.reviews}:clear:v1:${subjectKey}`;
  }

  /** Which subject a clearance belongs to, so that it can be revoked by its id alone. */
  clearanceId(clearanceId: string): string {
    return `${this.reviews}:clearid:v1:${clearanceId}`;
  }

  /** A clearance revoked: a review applied again (a retried batch, a rebuild) must not revive it. */
  clearanceRevoked(clearanceId: string): string {
    return `${this.reviews}:revoked:v1:${clearanceId}`;
  }

  /** Every kept clearance by its expiry: counted in force with ZCOUNT, never scanned. */
  clearancesByExpiry(): string {
    return `${this.reviews}:inforce:v1`;
  }

  /** Every frozen subject, beside the freezes themselves: counted with SCARD. */
  frozenSubjects(): string {
    return `${this.reviews}:frozen:v1`;
  }

  /** Every freeze a subject had, released ones included, by the alertId confirmed. */
  freezeLog(subjectKey: string): string {
    return `${this.reviews}:freezelog:v1:${subjectKey}`;
  }

  /** A frozen account or address (canonical), by subject key. */
  freeze(subjectKey: string): string {
    return `${this.reviews}:freeze:v1:${subjectKey}`;
  }

  /** Set once the standing effects were rebuilt from the effects topic into this Redis. */
  reviewsRebuilt(): string {
    return `${this.reviews}:rebuilt:v1`;
  }

  /** The message that applied a review, so that another message with its reviewId changes nothing. */
  reviewApplied(reviewId: string): string {
    return `${this.reviews}:review:v1:${reviewId}`;
  }
}
