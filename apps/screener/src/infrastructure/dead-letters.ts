import type { Logger } from 'pino';
import type { AppConfig } from '@sekimori/config';
import {
  type ConsumedBatch,
  type ConsumedMessage,
  deadLetter,
  type OutboundRecord,
} from '@sekimori/kafka';
import type { ScreeningMetrics } from '../observability/screening-metrics';

/**
 * The dead letter for an input that cannot be screened, counted and logged the same way by
 * every use case: one log line with where it came from and why, never its content.
 */
export function deadLetterFor(
  deps: { config: AppConfig; metrics: ScreeningMetrics; log: Logger },
  batch: ConsumedBatch,
  message: ConsumedMessage,
  failure: { code: string; detail: string },
): OutboundRecord {
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
  return deadLetter(deps.config.topics.deadLetters, batch, message, failure.code, failure.detail);
}
