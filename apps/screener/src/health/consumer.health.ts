import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { BatchConsumer } from '@sekimori/kafka';
import { ScreeningMetrics } from '../observability/screening-metrics';

/** What the indicator needs of the transport: its consumer, once the transport listens. */
export interface ConsumerSource {
  readonly batchConsumer: BatchConsumer | null;
}

/**
 * The batch consumer is running and not holding batches. A held batch means screening is not
 * possible right now (Redis or the list missing, the broker refusing the output): no transfer
 * passes unscreened, but none is screened either, so the service is not ready.
 */
@Injectable()
export class ConsumerHealthIndicator {
  private source: ConsumerSource | null = null;

  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly metrics: ScreeningMetrics,
  ) {}

  /** The transport is built outside the module (main.ts); it is handed in once created. */
  watch(source: ConsumerSource): void {
    this.source = source;
  }

  check(key = 'consumer') {
    const session = this.indicators.check(key);
    const consumer = this.source?.batchConsumer ?? null;
    if (!consumer) return session.down({ message: 'the Kafka consumer has not started' });
    if (!consumer.isRunning) {
      return session.down({ message: 'the Kafka consumer is not running', running: false });
    }
    const stalled = consumer.stalledPartitions;
    if (stalled.length > 0) {
      return session.down({
        message: stalled
          .map(
            (s) =>
              `partition ${s.partition} of ${s.topic} is stalled at offset ${s.offset}, a record batch that cannot be decoded (${s.reason}); the other partitions are screened. After checking it, move past it: npm run skip -- --topic ${s.topic} --partition ${s.partition} --offset ${s.offset} --reason "..."`,
          )
          .join('; '),
        running: true,
        stalled: stalled.map(({ topic, partition, offset, lastOffset, reason, since }) => ({
          topic,
          partition,
          offset,
          lastOffset,
          reason,
          stalledForSeconds: Math.round((Date.now() - since) / 1000),
        })),
      });
    }
    const pause = this.metrics.pauseState;
    if (consumer.isPaused || pause) {
      return session.down({
        message: `screening is paused, batches are held: ${pause?.reason ?? 'unknown reason'}`,
        running: true,
        paused: true,
        pausedReason: pause?.reason ?? null,
        pausedForSeconds: pause ? Math.round((Date.now() - pause.since) / 1000) : null,
      });
    }
    return session.up({ running: true, paused: false });
  }
}
