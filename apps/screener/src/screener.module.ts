import {
  type DynamicModule,
  type MiddlewareConsumer,
  Module,
  type NestModule,
} from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { AppConfig } from '@sekimori/config';
import type { RulesConfig } from '@sekimori/rules';
import { ApplyReviews, ScreenTransfers } from '@sekimori/screening';
import { ReviewStream, TransferAndRateStream } from '@sekimori/screening-kafka';
import { ScreeningModule } from '@sekimori/screening-nest';
import { RatesStore, RetroStore, ReviewStore } from '@sekimori/screening-redis';
import { TransferAndRateHandler } from './consume/transfer-and-rate.handler';
import { BrokerHealthIndicator, KAFKA_CLIENT } from './health/broker.health';
import { ConsumerHealthIndicator } from './health/consumer.health';
import { HealthController } from './health/health.controller';
import { RedisHealthIndicator } from './health/redis.health';
import { SanctionsListHealthIndicator } from './health/sanctions-list.health';
import { BatchLog } from './observability/batch-log';
import { ListStatusService } from './observability/list-status.service';
import { MetricsController } from './observability/metrics.controller';
import { ScreeningMetrics } from './observability/screening-metrics';
import { RetroRunner } from './retro/retro-runner.service';
import { AccessLog, ApiRequestLog } from './screening-api/access-log';
import { ApiKeyGuard, ReviewerKeyGuard } from './screening-api/api-key.guard';
import { ScreeningApiController } from './screening-api/screening-api.controller';
import { ReviewPublisher } from './reviews-api/review-publisher';
import { ReviewRebuild } from './reviews-api/review-rebuild';
import { ReviewsApiController } from './reviews-api/reviews-api.controller';

/**
 * The screener: the screening use case (ScreeningModule) behind two adapters, the Kafka batch
 * handler and the screening API, with health and metrics for operators.
 */
@Module({})
export class ScreenerModule implements NestModule {
  static forRoot(
    config: AppConfig,
    logger: Logger,
    rules: RulesConfig,
    kafka: Kafka,
  ): DynamicModule {
    return {
      module: ScreenerModule,
      imports: [
        ScreeningModule.forRoot(config, logger, rules),
        // Terminus' own logger would write an error line on every failing probe; the health
        // controller logs changes of state instead.
        TerminusModule.forRoot({ logger: false }),
      ],
      controllers: [
        TransferAndRateHandler,
        ScreeningApiController,
        ReviewsApiController,
        HealthController,
        MetricsController,
      ],
      providers: [
        { provide: KAFKA_CLIENT, useValue: kafka },
        ScreeningMetrics,
        ListStatusService,
        BatchLog,
        {
          provide: ApplyReviews,
          inject: [ReviewStore],
          useFactory: (records: ReviewStore) =>
            new ApplyReviews(records, undefined, config.reviews.clearanceTtlDays),
        },
        {
          provide: ReviewStream,
          inject: [ApplyReviews, BatchLog],
          useFactory: (reviews: ApplyReviews, reporter: BatchLog) =>
            new ReviewStream(reviews, {
              topics: config.topics,
              maxMessageBytes: config.screener.maxMessageBytes,
              reporter,
            }),
        },
        {
          provide: TransferAndRateStream,
          inject: [ScreenTransfers, RatesStore, BatchLog, RetroStore, ReviewStore, ReviewStream],
          useFactory: (
            screening: ScreenTransfers,
            rates: RatesStore,
            reporter: BatchLog,
            raised: RetroStore,
            held: ReviewStore,
            reviews: ReviewStream,
          ) =>
            new TransferAndRateStream(screening, rates, {
              topics: config.topics,
              maxMessageBytes: config.screener.maxMessageBytes,
              reporter,
              raised,
              held,
              reviews,
            }),
        },
        RetroRunner,
        ApiKeyGuard,
        ReviewerKeyGuard,
        ReviewPublisher,
        ReviewRebuild,
        ApiRequestLog,
        BrokerHealthIndicator,
        ConsumerHealthIndicator,
        RedisHealthIndicator,
        SanctionsListHealthIndicator,
      ],
      exports: [
        ReviewRebuild,
        ScreeningMetrics,
        ListStatusService,
        ConsumerHealthIndicator,
        RetroRunner,
      ],
    };
  }

  /** The API's controllers (and those to come) get one access-log line per request. */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(AccessLog).forRoutes(ScreeningApiController, ReviewsApiController);
  }
}
