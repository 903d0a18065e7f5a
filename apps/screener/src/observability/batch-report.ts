import type { Logger } from 'pino';
import type { Alert } from '@sekimori/contracts';
import type { AppConfig } from '@sekimori/config';
import {
  type ConsumedBatch,
  type ConsumedMessage,
  deadLetter,
  type OutboundRecord,
} from '@sekimori/kafka';
import type { ScreeningMetrics } from './screening-metrics';

interface ReportDeps {
  config: AppConfig;
  metrics: ScreeningMetrics;
  log: Logger;
}

/**
 * What one batch produced, for operators: its dead letters and alerts are logged and counted
 * only once the batch is delivered (BatchOutcome.delivered), never once per retry of a batch
 * held through an outage. Log lines carry where an input came from and why, never customer
 * names or addresses; entity names are public list data.
 */
export class BatchReport {
  private readonly lines: Array<() => void> = [];

  constructor(
    private readonly deps: ReportDeps,
    private readonly batch: ConsumedBatch,
  ) {}

  /** The dead letter for an input that cannot be screened. */
  deadLetter(message: ConsumedMessage, failure: { code: string; detail: string }): OutboundRecord {
    const { batch, deps } = this;
    this.lines.push(() => {
      deps.metrics.deadLetter(failure.code);
      deps.log.warn(
        {
          topic: batch.topic,
          partition: batch.partition,
          offset: message.offset,
          code: failure.code,
          detail: failure.detail,
        },
        'dead letter',
      );
    });
    return deadLetter(deps.config.topics.deadLetters, batch, message, failure.code, failure.detail);
  }

  alert(offset: string, alert: Alert): OutboundRecord {
    const { batch, deps } = this;
    this.lines.push(() => {
      deps.metrics.alert(alert.ruleId);
      deps.log.info(
        {
          topic: batch.topic,
          partition: batch.partition,
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
    });
    return {
      topic: deps.config.topics.alerts,
      key: alert.subjectKey,
      value: JSON.stringify(alert),
    };
  }

  /** For BatchOutcome.delivered. */
  readonly delivered = (): void => {
    this.deps.metrics.eventsIn(this.batch.topic, this.batch.messages.length);
    for (const line of this.lines) line();
  };
}
