import {
  type Alert,
  type Clearance,
  type Decision,
  type ListMatch,
  listMatchOf,
  type NameMatch,
  RuleId,
} from '@sekimori/contracts';
import {
  type CrossBorderVerdict,
  decideRouting,
  flowsOf,
  type FreezeRef,
  isStructuringCandidate,
  nodeKeysOf,
  raisedExposures,
  type RoutingState,
  routingEntryOf,
  type RuleEngine,
  type ScreeningContext,
  type StructuringState,
  trackExposures,
  type TrackedExposures,
  unknownVerdict,
  type Valuation,
  type ValuedTransfer,
  valueInJpy,
} from '@sekimori/rules';
import {
  DEFAULT_NAME_THRESHOLDS,
  type ListNameIndex,
  type NameThresholds,
} from '@sekimori/name-matching';
import type { FreezeRecord } from '../reviews/review-records.port';
import {
  applyExposureClearances,
  applyNameClearances,
  type ClearedExposures,
  type ClearedMatches,
  type FingerprintOf,
} from '../reviews/clearances';
import { buildAlert, subjectKeyOf } from './alert-factory';
import { decisionOf } from './decision';
import type {
  ListLookup,
  PinRequest,
  RoutingItem,
  ScreeningStores,
  StructuringItem,
} from './screening-stores.port';
import type { ScreenableTransfer } from './transfer-decoder';
import {
  DEFAULT_EVIDENCE_SETTINGS,
  type EvidenceSettings,
  hasNamesToScreen,
  matchTransferNames,
  transferNamesOf,
  travelRuleVerdict,
} from './travel-rule-screening';

const DAY_MS = 86_400_000;

/**
 * `record`: the stream's screening, which keeps what it learns (rate pins, structuring windows,
 * exposures), so that a redelivery decides as the first delivery did. `preview`: the screening
 * API's, which reads the same state and writes none.
 */
export type ScreeningMode = 'record' | 'preview';

/**
 * Which clearances and freezes count: `now`, those in force now (the stream, the API); `event`,
 * those in force at each event's time (re-screens and replays of past events: a clearance made
 * or a freeze lifted after the event does not count, one revoked or released since does).
 */
export type ReviewsAt = 'now' | 'event';

/** One transfer screened: the context the rules saw, the alerts they raised and the answer. */
export interface ScreenedTransfer {
  transfer: ScreenableTransfer;
  context: ScreeningContext;
  alerts: Alert[];
  decision: Decision;
  /** `listId:entityId` -> fingerprint of each entry a name matched (what a clearance binds to). */
  fingerprints: ReadonlyMap<string, string>;
}

/** What is known of a transfer before the structuring window is asked. */
interface Facts {
  transfer: ScreenableTransfer;
  verdict: CrossBorderVerdict;
  matches: ListMatch[];
  valuation: Valuation;
}

/** The list hits of a transfer's addresses, in address order, as the alert carries them. */
function listMatchesOf(transfer: ScreenableTransfer, lookup: ListLookup): ListMatch[] {
  const matches: ListMatch[] = [];
  for (const address of transfer.addresses) {
    for (const entry of lookup.hits.get(address.key) ?? []) {
      matches.push(listMatchOf(entry, transfer.chain, address.canonical, address.side));
    }
  }
  return matches;
}

/** What a freeze can be on: the exchange account, and every address the transfer moves funds between. */
function frozenKeysOf(transfer: ScreenableTransfer): string[] {
  const addresses = transfer.addresses.map((a) => a.canonical);
  return transfer.kind === 'exchange-transfer'
    ? [transfer.event.account.id, ...addresses]
    : addresses;
}

/** When the event happened: what `ReviewsAt` `event` measures clearances and freezes against. */
function eventTimeOf(transfer: ScreenableTransfer): string {
  return transfer.kind === 'exchange-transfer'
    ? transfer.event.occurredAt
    : transfer.event.blockTime;
}

const before = (a: string, b: string): boolean => Date.parse(a) <= Date.parse(b);

/** Whether a freeze stood at `at`: confirmed by then and not yet released. */
function frozenAt(freeze: FreezeRecord, at: string): boolean {
  return (
    before(freeze.confirmedAt, at) &&
    !(freeze.releasedAt !== undefined && before(freeze.releasedAt, at))
  );
}

function freezesOf(
  transfer: ScreenableTransfer,
  frozen: ReadonlyMap<string, readonly FreezeRecord[]>,
  at: string | null,
): FreezeRef[] {
  if (frozen.size === 0) return [];
  const found = new Map<string, FreezeRef>();
  for (const key of frozenKeysOf(transfer)) {
    for (const freeze of frozen.get(key) ?? []) {
      if (at !== null && !frozenAt(freeze, at)) continue;
      const { releasedAt: _released, ...ref } = freeze;
      found.set(freeze.reviewId, ref);
    }
  }
  return [...found.values()];
}

/** The clearances that count at `at` (null: now, where only a revoked one does not). */
function clearancesAt(clearances: readonly Clearance[], at: string | null): Clearance[] {
  return clearances.filter((c) => {
    if (at === null) return c.revokedAt === undefined;
    return before(c.clearedAt, at) && !(c.revokedAt !== undefined && before(c.revokedAt, at));
  });
}

/** Each listed entry's fingerprint in the version the batch's name indexes hold. */
function fingerprintsIn(indexes: readonly ListNameIndex[]): FingerprintOf {
  return (listId, entityId) =>
    indexes.find((x) => x.listId === listId)?.index.entryFingerprint(entityId) ?? '';
}

const NO_FINGERPRINTS: ReadonlyMap<string, string> = new Map();

/** `listId:entityId` -> fingerprint of each entry a kept name match or exposure names. */
function fingerprintsOf(
  names: readonly NameMatch[],
  exposures: ScreeningContext['exposures'],
  fingerprintOf: FingerprintOf,
): ReadonlyMap<string, string> {
  // Most transfers match nothing: no map for them.
  if (names.length === 0 && exposures.length === 0) return NO_FINGERPRINTS;
  const fingerprints = new Map<string, string>();
  for (const { listId, entityId } of [...names, ...exposures.map((x) => x.path.source)]) {
    fingerprints.set(`${listId}:${entityId}`, fingerprintOf(listId, entityId));
  }
  return fingerprints;
}

/**
 * The screening use case, shared by the Kafka batch handler, the screening API, the tests and
 * the bench: validated transfers in, for each its alerts and its decision out.
 * Enrichment asks every store once for the whole batch; any store failure throws
 * (`ScreeningUnavailableError`), so nothing is decided against a missing list or state.
 */
export class ScreenTransfers {
  constructor(
    private readonly stores: ScreeningStores,
    private readonly engine: RuleEngine,
    private readonly now: () => Date = () => new Date(),
    private readonly nameThresholds: NameThresholds = DEFAULT_NAME_THRESHOLDS,
    private readonly nameEvidence: EvidenceSettings = DEFAULT_EVIDENCE_SETTINGS,
  ) {}

  async screen(
    transfers: readonly ScreenableTransfer[],
    mode: ScreeningMode,
    reviewsAt: ReviewsAt = 'now',
  ): Promise<ScreenedTransfer[]> {
    if (transfers.length === 0) return [];
    const { facts, lookup, frozen, tracked, routingItems } = await this.enrich(
      transfers,
      mode,
      reviewsAt,
    );
    const config = this.engine.config;
    // Only with names to match, or exposures (their sources' fingerprints bind clearances): the
    // first batch on a new version waits for its index here.
    const nameIndexes =
      transfers.some(hasNamesToScreen) || tracked.exposures.some((x) => x.length > 0)
        ? await this.stores.names.indexesFor(lookup.versions)
        : [];
    const [windows, logged] = await Promise.all([
      this.windowsFor(facts, mode),
      mode === 'record'
        ? this.stores.routing.record(routingItems)
        : this.stores.routing.preview(routingItems),
      mode === 'record' ? this.stores.exposures.record(tracked.created) : undefined,
    ]);
    const routingOf = (eventId: string): RoutingState | null => {
      const found = logged.get(eventId);
      if (found === undefined) return null;
      return { entry: found.own, findings: decideRouting(found.own, found.log, config) };
    };

    const screenedAt = this.now().toISOString();
    const fingerprintOf = fingerprintsIn(nameIndexes);
    const cleared = await this.clear(
      facts.map((f) => f.transfer),
      // Each name is normalised here, after the waits, and let go once matched: a batch's
      // names would otherwise be held across its Redis round trips and outlive a scavenge.
      facts.map((f) =>
        matchTransferNames(
          transferNamesOf(f.transfer),
          nameIndexes,
          this.nameThresholds,
          this.nameEvidence,
        ),
      ),
      facts.map((f, i) => ({
        event: f.transfer.event,
        matches: f.matches,
        exposures: tracked.exposures[i],
      })),
      fingerprintOf,
      screenedAt,
      reviewsAt,
    );
    return facts.map((f, i) => {
      const context: ScreeningContext = {
        event: f.transfer.event,
        matches: f.matches,
        listVersion: lookup.listVersion,
        valuation: f.valuation,
        verdict: f.verdict,
        structuring: windows.get(f.transfer.event.eventId) ?? null,
        exposures: cleared[i].exposures.kept,
        routing: routingOf(f.transfer.event.eventId),
        nameMatches: cleared[i].names.kept,
        freezes: freezesOf(
          f.transfer,
          frozen,
          reviewsAt === 'event' ? eventTimeOf(f.transfer) : null,
        ),
      };
      const { names: byName, exposures: byExposure } = cleared[i];
      const alerts = this.engine.evaluate(context).map((finding) => {
        const alert = buildAlert(f.transfer, context, finding, screenedAt);
        if (alert.ruleId === RuleId.NAME_MATCH) alert.reasons.push(...byName.lapsed);
        if (alert.ruleId === RuleId.INDIRECT_EXPOSURE) alert.reasons.push(...byExposure.lapsed);
        return alert;
      });
      const decision = decisionOf(f.transfer, alerts, lookup.listVersion, screenedAt);
      if (byName.suppressed.length > 0 || byExposure.suppressed.length > 0) {
        decision.suppressed = [...byName.suppressed, ...byExposure.suppressed];
      }
      const fingerprints = fingerprintsOf(byName.kept, context.exposures, fingerprintOf);
      return { transfer: f.transfer, context, alerts, decision, fingerprints };
    });
  }

  /**
   * The batch's first round trip (the list lookup, the rates, the stored exposures and the
   * freezes, which do not depend on each other: one wait) and what follows from it alone: each
   * transfer's list matches and value, the exposures it carries on, its routing entry. Its own
   * function so that what only this step reads (the verdicts, the flows, the stored exposures)
   * dies when it returns: V8 keeps every local of a suspended async function, used again or
   * not, and the batch's later waits would hold them past a scavenge.
   */
  private async enrich(
    transfers: readonly ScreenableTransfer[],
    mode: ScreeningMode,
    reviewsAt: ReviewsAt,
  ): Promise<{
    facts: Facts[];
    lookup: ListLookup;
    frozen: Map<string, FreezeRecord[]>;
    tracked: TrackedExposures;
    routingItems: RoutingItem[];
  }> {
    const { lists, exposures } = this.stores;
    const verdicts = transfers.map((t) => this.verdictOf(t));
    const addressKeys = [...new Set(transfers.flatMap((t) => t.addresses.map((a) => a.key)))];
    // Exposure nodes are the addresses and the exchange accounts, known from the events alone.
    const flows = flowsOf(transfers);
    const [lookup, rateOf, stored, frozen] = await Promise.all([
      lists.lookup(addressKeys),
      this.ratesFor(transfers, verdicts, mode),
      exposures.get(nodeKeysOf(flows)),
      this.frozenFor(transfers, reviewsAt),
    ]);
    const facts: Facts[] = transfers.map((transfer, i) => ({
      transfer,
      verdict: verdicts[i],
      matches: listMatchesOf(transfer, lookup),
      valuation: valueInJpy(transfer.event, rateOf(transfer)),
    }));
    const items: ValuedTransfer[] = facts.map((f) => ({
      event: f.transfer.event,
      matches: f.matches,
      valueJpy: f.valuation.valueJpy,
    }));
    const tracked = trackExposures(items, flows, stored, this.engine.config);
    const routingItems = this.routingItemsOf(facts, tracked.exposures);
    return { facts, lookup, frozen, tracked, routingItems };
  }

  /**
   * The freezes of the batch's accounts and addresses (one read, beside the lookup): those in
   * force now, or (`event`) every one they had, which freezesOf measures against each event.
   */
  private async frozenFor(
    transfers: readonly ScreenableTransfer[],
    reviewsAt: ReviewsAt,
  ): Promise<Map<string, FreezeRecord[]>> {
    const store = this.stores.freezes;
    if (store === undefined) return new Map();
    const keys = [...new Set(transfers.flatMap(frozenKeysOf))];
    if (reviewsAt === 'event') return store.history(keys);
    const now = await store.frozen(keys);
    return new Map([...now].map(([key, freeze]) => [key, [freeze]]));
  }

  /**
   * Each event's name matches and exposures under its subject's clearances (docs/reviews.md).
   * One read of the clearances for the batch, and only when a name matched or an exposure
   * would be raised.
   */
  private async clear(
    transfers: readonly ScreenableTransfer[],
    matches: readonly NameMatch[][],
    exposed: ReadonlyArray<Pick<ScreeningContext, 'event' | 'matches' | 'exposures'>>,
    fingerprintOf: FingerprintOf,
    now: string,
    reviewsAt: ReviewsAt,
  ): Promise<Array<{ names: ClearedMatches; exposures: ClearedExposures }>> {
    const store = this.stores.clearances;
    const raised = exposed.map((x) => (x.exposures.length === 0 ? [] : raisedExposures(x)));
    const untouched = matches.map((kept, i) => ({
      names: { kept, suppressed: [], lapsed: [] },
      exposures: { kept: exposed[i].exposures, suppressed: [], lapsed: [] },
    }));
    const concerned = (i: number) => matches[i].length > 0 || raised[i].length > 0;
    if (store === undefined || !transfers.some((_, i) => concerned(i))) return untouched;
    const subjects = transfers.filter((_, i) => concerned(i)).map(subjectKeyOf);
    const bySubject = await store.forSubjects([...new Set(subjects)]);
    return transfers.map((t, i) => {
      const at = reviewsAt === 'event' ? eventTimeOf(t) : null;
      const clearances = clearancesAt(bySubject.get(subjectKeyOf(t)) ?? [], at);
      if (clearances.length === 0) return untouched[i];
      return {
        names: applyNameClearances(matches[i], clearances, fingerprintOf, at ?? now),
        exposures: applyExposureClearances(
          exposed[i].exposures,
          new Set(raised[i]),
          clearances,
          fingerprintOf,
          at ?? now,
        ),
      };
    });
  }

  /**
   * The rate each transfer without a `valueJpy` is valued with. Exchange transfers that are or
   * may be cross-border (the only ones whose value decides a rule) get the rate pinned to their
   * eventId, so a redelivery is valued as the first delivery was and raises no new alert; the
   * pin is kept as long as the structuring result (twice the window). Others use the latest.
   * A preview reads a pin the stream made but makes none.
   */
  private async ratesFor(
    transfers: readonly ScreenableTransfer[],
    verdicts: readonly CrossBorderVerdict[],
    mode: ScreeningMode,
  ): Promise<(transfer: ScreenableTransfer) => string | null> {
    const pins: PinRequest[] = [];
    const assets = new Set<string>();
    transfers.forEach((t, i) => {
      if (t.event.valueJpy !== undefined) return;
      if (t.kind === 'exchange-transfer' && verdicts[i].crossBorder !== false) {
        pins.push({ eventId: t.event.eventId, asset: t.event.asset });
      } else {
        assets.add(t.event.asset);
      }
    });
    const { rates } = this.stores;
    const holdMs = 2 * this.engine.config.structuringWindowDays * DAY_MS;
    const [pinned, latest] = await Promise.all([
      mode === 'record' ? rates.pinMany(pins, holdMs) : rates.peekMany(pins),
      rates.getMany([...assets]),
    ]);
    return (t) => {
      const rate = pinned.get(t.event.eventId);
      return rate !== undefined ? rate : (latest.get(t.event.asset) ?? null);
    };
  }

  private verdictOf(transfer: ScreenableTransfer): CrossBorderVerdict {
    return transfer.kind === 'exchange-transfer'
      ? travelRuleVerdict(transfer.event, this.engine.config.homeCountry)
      : unknownVerdict();
  }

  /** The routing log entry each exchange transfer adds (THIRD_COUNTRY_ROUTING), if any. */
  private routingItemsOf(
    facts: readonly Facts[],
    exposures: ReadonlyArray<ScreeningContext['exposures']>,
  ): RoutingItem[] {
    const items: RoutingItem[] = [];
    facts.forEach((f, i) => {
      if (f.transfer.kind !== 'exchange-transfer') return;
      const event = f.transfer.event;
      const entry = routingEntryOf(
        { event, matches: f.matches, exposures: exposures[i], valuation: f.valuation },
        this.engine.config,
      );
      if (entry !== null) {
        items.push({ exchangeId: event.exchangeId, accountId: event.account.id, entry });
      }
    });
    return items;
  }

  /** Each counted transfer's structuring window: recorded (stream) or previewed (API). */
  private windowsFor(facts: readonly Facts[], mode: ScreeningMode) {
    const items: StructuringItem[] = [];
    for (const { transfer, verdict, valuation } of facts) {
      if (transfer.kind !== 'exchange-transfer') continue;
      const candidate = { event: transfer.event, verdict, valuation };
      if (!isStructuringCandidate(candidate, this.engine.config)) continue;
      items.push({
        accountId: transfer.event.account.id,
        eventId: transfer.event.eventId,
        occurredAt: transfer.event.occurredAt,
        valueJpy: valuation.valueJpy as string,
      });
    }
    if (items.length === 0) return Promise.resolve(new Map<string, StructuringState>());
    const { windows } = this.stores;
    return mode === 'record' ? windows.record(items) : windows.preview(items);
  }
}
