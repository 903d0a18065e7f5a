import {
  type Alert,
  type DeadLetterCode,
  type Decision,
  decodeInput,
  type Rate,
  RuleId,
  type TopicNames,
} from '@sekimori/contracts';
import {
  type BatchOutcome,
  type ConsumedBatch,
  type ConsumedMessage,
  deadLetter,
  type OutboundRecord,
} from '@sekimori/kafka';
import {
  decodeTransfer,
  heldEventOf,
  type HeldEvent,
  type ReviewRecordsPort,
  type ScreenableTransfer,
  type ScreenTransfers,
  unscreenableDecision,
  unscreenableEventOf,
} from '@sekimori/screening';
import type { RatesStore, RetroStore } from '@sekimori/screening-redis';
import { openDecisionRecords } from './decision-records';
import type { ReviewStream } from './review-stream';

/** An input that could not be screened, as it was dead-lettered. */
export interface DeadLettered {
  offset: string;
  code: DeadLetterCode;
  detail: string;
  /** The `hold` answered for it, when its eventId could be read. */
  decision: Decision | null;
}

/** What one batch put on the broker, for whoever logs and counts it. */
export interface BatchOutputs {
  deadLetters: DeadLettered[];
  alerts: Array<{ offset: string; alert: Alert }>;
  decisions: Decision[];
}

/** Logs and metrics of delivered batches; called once per batch, after its delivery. */
export interface ScreeningReporter {
  delivered(batch: ConsumedBatch, outputs: BatchOutputs): void;
}

export interface TransferAndRateStreamOptions {
  topics: TopicNames;
  maxMessageBytes: number;
  reporter?: ScreeningReporter;
  /** Where raised address and name alerts are marked, so a re-screen never raises them again. */
  raised?: Pick<RetroStore, 'markRaised'>;
  /** Where held events are kept for their reviews; an event with a final decision is not decided again. */
  held?: Pick<ReviewRecordsPort, 'recordScreened'>;
  /** The adapter of the reviews topic, consumed beside the transfers (same delivery path). */
  reviews?: ReviewStream;
  now?: () => Date;
}

/** The alerts a list version decides: a re-screen after a list update may raise them later. */
const LIST_RULES = new Set<string>([RuleId.SANCTIONS_ADDRESS_MATCH, RuleId.NAME_MATCH]);

/**
 * The stream adapter of the screener's input topics: a transfer batch goes to the screening use
 * case, and everything that must be on the broker before its offsets move out comes back (alerts,
 * one decision per event, dead letters); a `rates.v1` batch is recorded in Redis. Bad input is dead-lettered per message; a store failure throws,
 * and the consumer holds the batch and tries it again.
 */
export class TransferAndRateStream {
  private readonly now: () => Date;

  constructor(
    private readonly screening: ScreenTransfers,
    private readonly rates: Pick<RatesStore, 'putMany'>,
    private readonly options: TransferAndRateStreamOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  handle(batch: ConsumedBatch): Promise<BatchOutcome> {
    const { topics, reviews } = this.options;
    if (batch.topic === topics.rates) return this.recordRates(batch);
    if (batch.topic === topics.reviews && reviews !== undefined) return reviews.handle(batch);
    return this.screenTransfers(batch);
  }

  private async screenTransfers(batch: ConsumedBatch): Promise<BatchOutcome> {
    const { topics } = this.options;
    const { outputs, records, held, listAlerts } = await this.screenBatch(batch);
    // An event a review already closed (its eventId sent again) gets no new decision.
    const open = await openDecisionRecords(
      topics.decisions,
      outputs.decisions,
      held,
      this.options.held,
      topics.reviewEffects,
    );
    outputs.decisions = open.decisions;
    records.push(...open.records);
    return {
      records,
      delivered: () => {
        this.options.reporter?.delivered(batch, outputs);
        // Marked once on the broker, off the batch's path (no round trip per batch): a mark lost
        // to an outage costs at most a retroactive copy of the alert, under the same alertId.
        void this.options.raised?.markRaised(listAlerts).catch(() => undefined);
      },
    };
  }

  /**
   * The batch decoded and screened, down to what its delivery needs. Its own function so that
   * the parsed events and what the rules saw die when it returns: V8 keeps every local of a
   * suspended async function, used again or not, so held in the caller they would wait on
   * the review records' round trip and outlive a scavenge.
   */
  private async screenBatch(batch: ConsumedBatch): Promise<{
    outputs: BatchOutputs;
    records: OutboundRecord[];
    held: HeldEvent[];
    listAlerts: string[];
  }> {
    const { topics, maxMessageBytes } = this.options;
    const expected = batch.topic === topics.exchange ? 'exchange-transfer' : 'onchain-transfer';
    const outputs: BatchOutputs = { deadLetters: [], alerts: [], decisions: [] };
    const records: OutboundRecord[] = [];
    const transfers: ScreenableTransfer[] = [];
    const offsets: string[] = [];
    for (const message of batch.messages) {
      const decoded = decodeTransfer(message.value, expected, maxMessageBytes);
      if (decoded.ok) {
        transfers.push(decoded);
        offsets.push(message.offset);
      } else {
        records.push(...this.deadLetter(batch, message, decoded, outputs));
      }
    }
    const screened = await this.screening.screen(transfers, 'record');
    const listAlerts = screened.flatMap((s) =>
      s.alerts.filter((a) => LIST_RULES.has(a.ruleId)).map((a) => a.alertId),
    );
    const held: HeldEvent[] = [];
    screened.forEach(({ alerts, decision, fingerprints }, i) => {
      for (const alert of alerts) {
        outputs.alerts.push({ offset: offsets[i], alert });
        records.push({ topic: topics.alerts, key: alert.subjectKey, value: JSON.stringify(alert) });
      }
      outputs.decisions.push(decision);
      const event = heldEventOf(alerts, decision, fingerprints);
      if (event !== null) held.push(event);
    });
    return { outputs, records, held, listAlerts };
  }

  private async recordRates(batch: ConsumedBatch): Promise<BatchOutcome> {
    const outputs: BatchOutputs = { deadLetters: [], alerts: [], decisions: [] };
    const records: OutboundRecord[] = [];
    const valid: Rate[] = [];
    for (const message of batch.messages) {
      const decoded = decodeInput(message.value, 'rate', this.options.maxMessageBytes);
      if (decoded.ok) valid.push(decoded.value);
      else records.push(...this.deadLetter(batch, message, decoded, outputs, false));
    }
    if (valid.length > 0) await this.rates.putMany(valid);
    return { records, delivered: () => this.options.reporter?.delivered(batch, outputs) };
  }

  /** The dead letter of a bad input and, for a transfer whose eventId can be read, its `hold`. */
  private deadLetter(
    batch: ConsumedBatch,
    message: ConsumedMessage,
    failure: { code: DeadLetterCode; detail: string },
    outputs: BatchOutputs,
    answers = true,
  ): OutboundRecord[] {
    const { topics } = this.options;
    const records = [deadLetter(topics.deadLetters, batch, message, failure.code, failure.detail)];
    const event = answers ? unscreenableEventOf(message.value) : null;
    const decision =
      event === null ? null : unscreenableDecision(event, failure.code, this.now().toISOString());
    if (decision !== null) outputs.decisions.push(decision);
    outputs.deadLetters.push({ offset: message.offset, ...failure, decision });
    return records;
  }
}
