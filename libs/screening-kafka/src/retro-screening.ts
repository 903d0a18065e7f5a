import { type Alert, type Decision, RuleId, type TopicNames } from '@sekimori/contracts';
import type { BatchOutcome, ConsumedBatch, OutboundRecord } from '@sekimori/kafka';
import { openDecisionRecords } from './decision-records';
import { nameKey, normalizeName } from '@sekimori/name-matching';
import {
  decisionOf,
  decodeTransfer,
  hasNamesToScreen,
  heldEventOf,
  type HeldEvent,
  type ReviewRecordsPort,
  type ScreenableTransfer,
  type ScreenTransfers,
} from '@sekimori/screening';
import type { RetroJob, RetroStore } from '@sekimori/screening-redis';

/** A job being worked on: what its list version added, and where its range ends. */
export interface ActiveRetroJob {
  job: RetroJob;
  /** Address lookup keys the version has and the one before it had not. */
  addedAddresses: ReadonlySet<string>;
  /** Name index keys the version has and the one before it had not. */
  addedNames: ReadonlySet<string>;
  /** Per `topic:partition`, the first offset not to re-screen. */
  ends: ReadonlyMap<string, bigint>;
  lookbackFromMs: number;
}

/** What one delivered batch of a re-screen did, for progress. */
export interface RetroProgress {
  topic: string;
  partition: number;
  /** The offset after the batch's last message. */
  next: bigint;
  scanned: number;
  matched: number;
}

export interface RetroScreeningOptions {
  topics: TopicNames;
  maxMessageBytes: number;
  now?: () => Date;
  /** Held events for their reviews: an event with a final decision gets no retroactive one. */
  held?: Pick<ReviewRecordsPort, 'recordScreened'>;
  /** Called once per delivered batch (logs, metrics). */
  progressed?: (active: ActiveRetroJob, progress: RetroProgress) => void;
}

/** The rules a list version can change the outcome of for a past transfer. */
const LIST_RULES = new Set<string>([RuleId.SANCTIONS_ADDRESS_MATCH, RuleId.NAME_MATCH]);

function eventTime(transfer: ScreenableTransfer): number {
  const event = transfer.event;
  return Date.parse(event.type === 'exchange-transfer' ? event.occurredAt : event.blockTime);
}

/**
 * Re-screens past transfers after a list version became current: a transfer that touched an
 * address (either side) or a name the version added is screened again against the lists in use,
 * as the screening API would (read-only: no window, exposure or rate pin is written), and each
 * address or name alert the new version causes is raised with `retroactive: true`, once (never
 * again by a restart, another instance or the live stream), with a new `retroactive` decision.
 */
export class RetroScreening {
  private readonly now: () => Date;

  constructor(
    private readonly screening: ScreenTransfers,
    private readonly store: Pick<RetroStore, 'notRaised' | 'markRaised' | 'count'>,
    private readonly options: RetroScreeningOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  async handle(batch: ConsumedBatch, active: ActiveRetroJob): Promise<BatchOutcome> {
    const { topics, maxMessageBytes } = this.options;
    const end = active.ends.get(`${batch.topic}:${batch.partition}`) ?? 0n;
    const expected = batch.topic === topics.exchange ? 'exchange-transfer' : 'onchain-transfer';
    const candidates: ScreenableTransfer[] = [];
    let scanned = 0;
    for (const message of batch.messages) {
      // Past the job's range: screened live against this version already.
      if (BigInt(message.offset) >= end) continue;
      scanned += 1;
      const decoded = decodeTransfer(message.value, expected, maxMessageBytes);
      // Dead-lettered when it arrived; nothing to re-screen.
      if (!decoded.ok) continue;
      if (eventTime(decoded) < active.lookbackFromMs) continue;
      if (this.touchesAdded(decoded, active)) candidates.push(decoded);
    }
    const last = batch.messages[batch.messages.length - 1];
    const progress: RetroProgress = {
      topic: batch.topic,
      partition: batch.partition,
      next: last === undefined ? 0n : BigInt(last.offset) + 1n,
      scanned,
      matched: 0,
    };
    const records: OutboundRecord[] = [];
    const raised: string[] = [];
    const decisions: Decision[] = [];
    const held: HeldEvent[] = [];
    if (candidates.length > 0) {
      // A past event under the clearances and freezes in force at its time (docs/reviews.md).
      const screened = await this.screening.screen(candidates, 'preview', 'event');
      const caused = screened.map(({ transfer, alerts }) =>
        alerts.filter((alert) => this.causedBy(alert, transfer, active)),
      );
      const fresh = await this.store.notRaised(caused.flat().map((a) => a.alertId));
      const detectedAt = this.now().toISOString();
      screened.forEach(({ transfer, alerts }, i) => {
        const retro = caused[i].filter((a) => fresh.has(a.alertId));
        if (retro.length === 0) return;
        progress.matched += 1;
        const reason = this.reason(transfer, active);
        const retroIds = new Set(retro.map((a) => a.alertId));
        const all = alerts.map((alert) =>
          retroIds.has(alert.alertId)
            ? { ...alert, detectedAt, retroactive: true, reasons: [reason, ...alert.reasons] }
            : alert,
        );
        for (const alert of all.filter((a) => retroIds.has(a.alertId))) {
          raised.push(alert.alertId);
          records.push({
            topic: topics.alerts,
            key: alert.subjectKey,
            value: JSON.stringify(alert),
          });
        }
        const decision: Decision = {
          ...decisionOf(transfer, all, screened[i].context.listVersion, detectedAt),
          retroactive: true,
        };
        decisions.push(decision);
        const event = heldEventOf(all, decision, screened[i].fingerprints);
        if (event !== null) held.push(event);
      });
    }
    const open = await openDecisionRecords(
      topics.decisions,
      decisions,
      held,
      this.options.held,
      topics.reviewEffects,
    );
    records.push(...open.records);
    return {
      records,
      delivered: () => {
        // Marked once delivered: a batch held and tried again must raise its alerts again.
        void this.store.markRaised(raised).catch(() => undefined);
        void this.store
          .count(active.job, progress.scanned, progress.matched)
          .catch(() => undefined);
        this.options.progressed?.(active, progress);
      },
    };
  }

  private touchesAdded(transfer: ScreenableTransfer, active: ActiveRetroJob): boolean {
    if (transfer.addresses.some((a) => active.addedAddresses.has(a.key))) return true;
    // Names are compared after screening (a match can be fuzzy or across scripts): any event
    // with a name to screen is a candidate when the version added names, including one named
    // only by its kana reading or its travel-rule (IVMS101) data, as the live stream screens it.
    return active.addedNames.size > 0 && hasNamesToScreen(transfer);
  }

  /** An address or name alert that this version's additions brought about. */
  private causedBy(alert: Alert, transfer: ScreenableTransfer, active: ActiveRetroJob): boolean {
    if (!LIST_RULES.has(alert.ruleId)) return false;
    const { listId, version } = active.job;
    const keyOf = new Map(transfer.addresses.map((a) => [a.canonical, a.key]));
    return alert.matches.some((match) => {
      if (match.listId !== listId || match.listVersion !== version) return false;
      if (alert.ruleId === RuleId.SANCTIONS_ADDRESS_MATCH) {
        return active.addedAddresses.has(keyOf.get(match.address) ?? '');
      }
      const listed = 'listedName' in match ? match.listedName : undefined;
      return listed !== undefined && active.addedNames.has(nameKey(normalizeName(listed)));
    });
  }

  private reason(transfer: ScreenableTransfer, active: ActiveRetroJob): string {
    const { listId, version, issuedAt, switchedAt } = active.job;
    const at = new Date(eventTime(transfer)).toISOString();
    return `Raised retroactively: list ${listId} version ${version} (issued ${issuedAt}, in use from ${switchedAt}) lists an address or name of this transfer that the list did not hold when it was screened; the transfer happened at ${at}.`;
  }
}
