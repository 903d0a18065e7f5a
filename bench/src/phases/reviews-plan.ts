import type { IHeaders } from 'kafkajs';
import { Rng } from '../dataset/rng';
import type { StreamMessage } from '../dataset/stream';

/**
 * The pure part of the reviews phase (issue 18, "Measured"): which alerts a reviewer clears, which
 * held events the review-throughput pass reviews, and the `review` records themselves. No I/O.
 */

/** A record of a review effects topic, copied as it was written (key, time, headers). */
export interface EffectRecord {
  key: Buffer | null;
  value: Buffer | null;
  timestamp: string;
  headers?: IHeaders;
}

/** What the phase needs of one alert on the alerts topic. */
export interface AlertSummary {
  alertId: string;
  ruleId: string;
  action: string;
  eventId: string;
  subjectKey: string;
}

/** The alert a record on the alerts topic carries, or null for anything else. */
export function summariseAlert(value: Buffer | string): AlertSummary | null {
  let a: Record<string, unknown>;
  try {
    a = JSON.parse(value.toString()) as Record<string, unknown>;
  } catch {
    return null;
  }
  const text = (k: string): string | null => (typeof a[k] === 'string' ? (a[k] as string) : null);
  const alertId = text('alertId');
  const ruleId = text('ruleId');
  const action = text('action');
  const eventId = text('eventId');
  const subjectKey = text('subjectKey');
  if (a.type !== 'alert' || !alertId || !ruleId || !action || !eventId || subjectKey === null) {
    return null;
  }
  return { alertId, ruleId, action, eventId, subjectKey };
}

/** How many of `named` accounts `pct` % is: at least one when any is named and pct > 0. */
export function clearedCount(named: number, pct: number): number {
  if (pct <= 0 || named === 0) return 0;
  return Math.min(named, Math.max(1, Math.round((named * pct) / 100)));
}

export interface ClearanceChoice {
  /** Accounts with a NAME_MATCH alert (the holder's or a counterparty's name matched an entry). */
  namedAccounts: number;
  /** One NAME_MATCH alert per chosen account, the one a reviewer clears. */
  chosen: AlertSummary[];
}

/**
 * `pct` % of the accounts with a NAME_MATCH alert (its subject: the account; the bench's holder
 * names match no entry, its counterparties' names sometimes do), drawn with the stream's seed
 * (the same accounts in every run of a seed), each with the first such alert seen for it.
 */
export function chooseClearances(
  alerts: readonly AlertSummary[],
  pct: number,
  seed: number,
): ClearanceChoice {
  const firstBySubject = new Map<string, AlertSummary>();
  for (const a of alerts) {
    if (a.ruleId === 'NAME_MATCH' && !firstBySubject.has(a.subjectKey))
      firstBySubject.set(a.subjectKey, a);
  }
  const subjects = [...firstBySubject.keys()].sort();
  const k = clearedCount(subjects.length, pct);
  // A partial Fisher–Yates shuffle: the first k of a seeded permutation.
  const rng = new Rng(seed ^ 0x18c1);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(subjects.length - i);
    [subjects[i], subjects[j]] = [subjects[j], subjects[i]];
  }
  const chosen = subjects
    .slice(0, k)
    .sort()
    .map((s) => firstBySubject.get(s) as AlertSummary);
  return { namedAccounts: subjects.length, chosen };
}

/** The actions that wait for a review outcome before an event's final decision. */
const AWAITING = new Set(['hold', 'review']);

/** Rules whose alerts the contract lets no review clear. */
const NOT_CLEARABLE = new Set(['SANCTIONS_ADDRESS_MATCH', 'CONFIRMED_MATCH']);

/**
 * Held events to review, whole (every alert of the event that waits for an outcome, so that each
 * reviewed event gets its final decision), in the order their alerts were seen, until `max`
 * reviews. Events with an alert no review can clear are left out: their hold alerts could still
 * be reviewed, but the pass clears everything it reviews.
 */
export function heldEventsToReview(
  alerts: readonly AlertSummary[],
  max: number,
): Map<string, string[]> {
  const byEvent = new Map<string, AlertSummary[]>();
  for (const a of alerts) {
    const list = byEvent.get(a.eventId) ?? [];
    // An alert read twice (at-least-once delivery) is one alert.
    if (!list.some((x) => x.alertId === a.alertId)) list.push(a);
    byEvent.set(a.eventId, list);
  }
  const out = new Map<string, string[]>();
  let reviews = 0;
  for (const [eventId, list] of byEvent) {
    if (list.some((a) => NOT_CLEARABLE.has(a.ruleId))) continue;
    const held = list.filter((a) => AWAITING.has(a.action)).map((a) => a.alertId);
    if (held.length === 0) continue;
    if (reviews + held.length > max) break;
    out.set(eventId, held);
    reviews += held.length;
  }
  return out;
}

/** A reviewer's `cleared` outcome for one alert, as `reviews.v1` carries it (contract, "review"). */
export function clearedReview(
  reviewId: string,
  alertId: string,
  reviewedAt: string,
  reviewer = 'bench-reviewer',
): { key: string; value: Buffer } {
  const review = {
    type: 'review',
    reviewId,
    alertId,
    outcome: 'cleared',
    reviewer,
    reason: 'benchmark: not the listed person',
    reviewedAt,
  };
  return { key: reviewId, value: Buffer.from(JSON.stringify(review)) };
}

/**
 * The stream's readable exchange events under new eventIds (`<prefix><eventId>`): the clearance
 * pass screens these, so that none of the stream's own events is reviewed (a reviewed event is
 * completed, and the stream publishes no decision for it again).
 */
export function renamedExchangeEvents(
  messages: readonly StreamMessage[],
  prefix: string,
): StreamMessage[] {
  return renamedEvents(
    messages.filter((m) => m.kind === 'exchange'),
    prefix,
  );
}

/** Readable transfers under new eventIds (`<prefix><eventId>`), otherwise as they were. */
export function renamedEvents(messages: readonly StreamMessage[], prefix: string): StreamMessage[] {
  const out: StreamMessage[] = [];
  for (const m of messages) {
    if (m.kind === 'rates' || m.malformed || m.eventId === undefined) continue;
    const value = JSON.parse(m.value.toString('utf8')) as Record<string, unknown>;
    value.eventId = `${prefix}${m.eventId}`;
    out.push({
      kind: m.kind,
      key: m.key,
      value: Buffer.from(JSON.stringify(value)),
      eventId: value.eventId as string,
    });
  }
  return out;
}

/**
 * Copies of the held events (`held`: eventId → its hold/review alerts) under new eventIds, round
 * after round (`r1-`, `r2-`, ...), until they would bring `max` reviews; none when the stream's own
 * held events bring that many, or when it has none.
 */
export function heldEventCopies(
  messages: readonly StreamMessage[],
  held: ReadonlyMap<string, readonly string[]>,
  max: number,
): StreamMessage[] {
  let reviews = 0;
  for (const alerts of held.values()) reviews += alerts.length;
  const originals = messages.filter((m) => m.eventId !== undefined && held.has(m.eventId));
  const out: StreamMessage[] = [];
  for (let round = 1; reviews < max && originals.length > 0; round++) {
    for (const m of renamedEvents(originals, `r${round}-`)) {
      if (reviews >= max) break;
      out.push(m);
      reviews += held.get(m.eventId?.slice(`r${round}-`.length) ?? '')?.length ?? 1;
    }
  }
  return out;
}

/** The value at percentile `p` (nearest rank) of ascending `sorted`; NaN when empty. */
export function nearestRank(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}
