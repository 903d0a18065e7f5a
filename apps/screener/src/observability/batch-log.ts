import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { ConsumedBatch } from '@sekimori/kafka';
import { type BatchOutputs, type ScreeningReporter } from '@sekimori/screening-kafka';
import { LOGGER } from '@sekimori/screening-nest';
import { ScreeningMetrics } from './screening-metrics';

/**
 * Logs and counts what a batch put on the broker, once it is delivered: never once per retry of
 * a batch held through an outage. Lines carry where an input came from and why, never customer
 * names or addresses; entity names are public list data.
 */
@Injectable()
export class BatchLog implements ScreeningReporter {
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
    for (const decision of outputs.decisions) this.metrics.decision(decision.decision);
  }
}
