import { type Decision, UnknownVersionError } from '@sekimori/contracts';
import type { RuleEngine } from '@sekimori/rules';
import { unscreenableEventOf } from '../screen-transfers/decision';
import { ScreenTransfers } from '../screen-transfers/screen-transfers';
import type { ListLookup, ScreeningStores } from '../screen-transfers/screening-stores.port';
import { decodeTransfer, type ScreenableTransfer } from '../screen-transfers/transfer-decoder';
import { formatListVersions, type ListVersions, parseListVersions } from './list-versions';
import {
  compareDecisions,
  type DecisionSummary,
  type ReplayEntry,
  type ReplayReviews,
  summaryOfDecision,
} from './replay-report';

/** One input message of the replayed range. */
export interface RangeMessage {
  partition: number;
  offset: string;
  /** When it was put on the topic (ISO). */
  timestamp: string;
  value: Buffer | null;
}

/** What the replay needs of the list store: retained versions, read by id. */
export interface RetainedLists {
  lookupAt(
    versions: Readonly<ListVersions>,
    keys: readonly string[],
    nameKeys?: readonly string[],
  ): Promise<ListLookup>;
  versionMeta(listId: string, version: string): Promise<object | null>;
}

export interface ReplayOptions {
  expected: 'onchain-transfer' | 'exchange-transfer';
  maxMessageBytes: number;
  /** Versions that replace, list by list, the ones each event was screened against. */
  lists: ListVersions;
  /** Transfers per screening call (default 500). */
  batchSize?: number;
}

/** Everything but the lists: those are pinned per group of events to the versions replayed. */
export type ReplayStores = Omit<ScreeningStores, 'lists'>;

interface Pending {
  message: RangeMessage;
  eventId: string | null;
  decided: DecisionSummary | null;
  retroactive: DecisionSummary[];
  replayed: DecisionSummary | null;
  reviews?: ReplayReviews;
}

/**
 * Audit replay: screens past events again against chosen retained list versions (by default the
 * ones each was screened against) as the screening API would, writing nothing, and compares each
 * answer with the decision the event got.
 */
export class ReplayScreening {
  constructor(
    private readonly stores: ReplayStores,
    private readonly lists: RetainedLists,
    private readonly engine: RuleEngine,
  ) {}

  /**
   * @param decisions every decision found for the range's events, by eventId, in topic order.
   * Throws UnknownVersionError naming every version asked for that is not (or no longer) kept.
   */
  async replay(
    messages: readonly RangeMessage[],
    decisions: ReadonlyMap<string, readonly Decision[]>,
    options: ReplayOptions,
  ): Promise<ReplayEntry[]> {
    const groups = new Map<string, { versions: ListVersions; items: number[] }>();
    const transfers: Array<ScreenableTransfer | null> = [];
    const pending: Pending[] = messages.map((message, i) => {
      const decoded = decodeTransfer(message.value, options.expected, options.maxMessageBytes);
      const eventId = decoded.ok
        ? decoded.event.eventId
        : (unscreenableEventOf(message.value)?.eventId ?? null);
      const found = eventId === null ? [] : (decisions.get(eventId) ?? []);
      const live = found.find((d) => d.retroactive !== true) ?? null;
      const entry: Pending = {
        message,
        eventId,
        decided: live === null ? null : summaryOfDecision(live),
        retroactive: found.filter((d) => d.retroactive === true).map(summaryOfDecision),
        replayed: null,
      };
      transfers.push(decoded.ok ? decoded : null);
      if (!decoded.ok) {
        // It could not be screened then and cannot now: the same `hold` the stream gives it.
        entry.replayed = {
          decision: 'hold',
          ruleIds: [],
          alertIds: [],
          listVersion: '',
          unscreenable: decoded.code,
        };
        return entry;
      }
      const versions = { ...versionsOf(live), ...options.lists };
      if (Object.keys(versions).length === 0) return entry;
      const key = formatListVersions(versions);
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { versions, items: [] }));
      group.items.push(i);
      return entry;
    });
    await this.assertRetained([...groups.values()].map((g) => g.versions));
    const size = options.batchSize ?? 500;
    for (const { versions, items } of groups.values()) {
      const screening = new ScreenTransfers(
        { ...this.stores, lists: { lookup: (k, n) => this.lists.lookupAt(versions, k, n) } },
        this.engine,
      );
      for (let from = 0; from < items.length; from += size) {
        const chunk = items.slice(from, from + size);
        // The clearances and freezes in force at each event's time, not today's.
        const screened = await screening.screen(
          chunk.map((i) => transfers[i] as ScreenableTransfer),
          'preview',
          'event',
        );
        screened.forEach(({ transfer, decision, context }, j) => {
          pending[chunk[j]].replayed = summaryOfDecision(decision);
          pending[chunk[j]].reviews = {
            at:
              transfer.kind === 'exchange-transfer'
                ? transfer.event.occurredAt
                : transfer.event.blockTime,
            suppressed: decision.suppressed ?? [],
            frozenBy: (context.freezes ?? []).map((f) => f.reviewId),
          };
        });
      }
    }
    return pending.map(({ message, eventId, decided, retroactive, replayed, reviews }) => ({
      eventId,
      partition: message.partition,
      offset: message.offset,
      timestamp: message.timestamp,
      ...compareDecisions(decided, replayed),
      decided,
      retroactive,
      replayed,
      ...(reviews === undefined ? {} : { reviews }),
    }));
  }

  /** Every version asked for must still be kept; all the missing ones are named at once. */
  private async assertRetained(sets: readonly ListVersions[]): Promise<void> {
    const wanted = new Set(sets.flatMap((versions) => formatListVersions(versions).split(',')));
    const missing: string[] = [];
    for (const qualified of [...wanted].sort()) {
      const at = qualified.indexOf(':');
      const meta = await this.lists.versionMeta(qualified.slice(0, at), qualified.slice(at + 1));
      if (meta === null) missing.push(qualified);
    }
    if (missing.length > 0) throw new UnknownVersionError(missing.join(', '));
  }
}

/** The versions a live decision names; none when it names none it can be read by. */
function versionsOf(decision: Decision | null): ListVersions {
  if (decision === null) return {};
  try {
    return parseListVersions(decision.listVersion);
  } catch {
    return {};
  }
}
