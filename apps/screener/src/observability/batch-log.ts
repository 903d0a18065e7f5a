import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { ConsumedBatch } from '@sekimori/kafka';
import {
  type BatchOutputs,
  type ReviewReport,
  type ReviewReporter,
  type ScreeningReporter,
} from '@sekimori/screening-kafka';
import { LOGGER } from '@sekimori/screening-nest';
import { ScreeningMetrics } from './screening-metrics';

/**
 * Logs and counts what a batch put on the broker, once it is delivered: never once per retry of
 * a batch held through an outage. Lines carry where an input came from and why, never customer
 * names or addresses; entity names are public list data.
 */
@Injectable()
export class BatchLog implements ScreeningReporter, ReviewReporter {
  constructor(
    @Inject(LOGGER) private readonly log: Logger,
    private readonly metrics: ScreeningMetrics,
  ) {}

  delivered(batch: ConsumedBatch, outputs: BatchOutputs): void {
    const { topic, partition } = batch;
    this.metrics.eventsIn(topic, batch.messages.length);
    for (const { offset, code, detail, decision } of outputs.deadLetters) {
      this.metrics.deadLetter(code);
      this.log.warn(
        { topic, partition, offset, code, detail, eventId: decision?.eventId },
        'dead letter',
      );
    }
    for (const { offset, alert } of outputs.alerts) {
      this.metrics.alert(alert.ruleId);
      if (alert.ruleId === 'NAME_MATCH' || alert.ruleId === 'INDIRECT_EXPOSURE') {
        this.metrics.lapsesIn(alert);
      }
      this.log.info(
        {
          topic,
          partition,
          offset,
          alertId: alert.alertId,
          ruleId: alert.ruleId,
          severity: alert.severity,
          action: alert.action,
          eventId: alert.eventId,
          entities: [...new Set(alert.matches.map((m) => m.entityName))],
          listVersion: alert.listVersion,
        },
        'alert',
      );
    }
    for (const decision of outputs.decisions) {
      this.metrics.decision(decision.decision);
      if (decision.suppressed !== undefined) this.metrics.suppressedIn(decision);
    }
  }

  /** One line per review: applied (with the final decision it made) or refused, and why. */
  reviewed(batch: ConsumedBatch, reports: ReviewReport[]): void {
    const { topic, partition } = batch;
    this.metrics.eventsIn(topic, batch.messages.length);
    for (const { offset, verdict } of reports) {
      const where = { topic, partition, offset };
      if (verdict.kind === 'malformed') {
        this.metrics.deadLetter(verdict.code);
        this.metrics.review('unknown', 'refused', null);
        this.log.warn({ ...where, code: verdict.code, detail: verdict.detail }, 'review refused');
        continue;
      }
      const { reviewId, alertId, outcome, reviewer } = verdict.review;
      const about = { ...where, reviewId, alertId, outcome, reviewer };
      this.metrics.review(outcome, verdict.kind, verdict.kind === 'applied' ? verdict.final : null);
      if (verdict.kind === 'refused') {
        this.metrics.deadLetter(verdict.code);
        this.log.warn({ ...about, code: verdict.code, detail: verdict.detail }, 'review refused');
      } else if (verdict.kind === 'duplicate') {
        this.log.info(about, 'review already applied');
      } else {
        const final = verdict.final;
        if (final !== null) this.metrics.decision(final.decision);
        this.log.info(
          {
            ...about,
            ruleId: verdict.alert.ruleId,
            eventId: verdict.alert.eventId,
            final: final === null ? null : final.decision,
          },
          'review applied',
        );
      }
    }
  }
}
