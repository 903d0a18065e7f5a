import { type Decision, decodeInput, type TopicNames } from '@sekimori/contracts';
import {
  type BatchOutcome,
  type ConsumedBatch,
  deadLetter,
  type OutboundRecord,
} from '@sekimori/kafka';
import {
  type ApplyReviews,
  effectKeyOf,
  heldRecordKeyOf,
  type ReviewVerdict,
} from '@sekimori/screening';

/** A review read from the topic, and what came of it, for logs and metrics. */
export interface ReviewReport {
  offset: string;
  verdict: ReviewVerdict | { kind: 'malformed'; code: string; detail: string };
}

/** Logs and metrics of delivered review batches; called once per batch, after its delivery. */
export interface ReviewReporter {
  reviewed(batch: ConsumedBatch, reports: ReviewReport[]): void;
}

export interface ReviewStreamOptions {
  topics: TopicNames;
  maxMessageBytes: number;
  reporter?: ReviewReporter;
}

/**
 * The stream adapter of `reviews.v1`: each review is applied in offset order, and what it causes
 * (a final decision; a dead letter when it cannot apply) goes out with the batch's offsets, in
 * the same transaction in exactly-once mode, as the stream's decisions do.
 */
export class ReviewStream {
  constructor(
    private readonly reviews: ApplyReviews,
    private readonly options: ReviewStreamOptions,
  ) {}

  async handle(batch: ConsumedBatch): Promise<BatchOutcome> {
    const { topics, maxMessageBytes } = this.options;
    const records: OutboundRecord[] = [];
    const reports: ReviewReport[] = [];
    for (const message of batch.messages) {
      const decoded = decodeInput(message.value, 'review', maxMessageBytes);
      if (!decoded.ok) {
        records.push(deadLetter(topics.deadLetters, batch, message, decoded.code, decoded.detail));
        reports.push({ offset: message.offset, verdict: { kind: 'malformed', ...decoded } });
        continue;
      }
      const position = `${batch.topic}:${batch.partition}:${message.offset}`;
      // One at a time: two reviews of one event in a batch must see each other's outcome.
      const verdict = await this.reviews.apply(decoded.value, position);
      reports.push({ offset: message.offset, verdict });
      if (verdict.kind === 'refused') {
        records.push(deadLetter(topics.deadLetters, batch, message, verdict.code, verdict.detail));
      } else if (verdict.kind === 'applied') {
        if (verdict.final !== null) records.push(this.decisionRecord(verdict.final));
        // In the review's transaction: Redis is rebuilt from these after it is lost.
        for (const effect of verdict.effects) {
          records.push({
            topic: topics.reviewEffects,
            key: effectKeyOf(effect),
            value: JSON.stringify(effect),
          });
        }
        for (const record of verdict.records) {
          records.push({
            topic: topics.reviewEffects,
            key: heldRecordKeyOf(record),
            value: JSON.stringify(record),
          });
        }
      }
    }
    return { records, delivered: () => this.options.reporter?.reviewed(batch, reports) };
  }

  private decisionRecord(decision: Decision): OutboundRecord {
    return {
      topic: this.options.topics.decisions,
      key: decision.eventId,
      value: JSON.stringify(decision),
    };
  }
}
