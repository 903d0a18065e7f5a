import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import type Redis from 'ioredis';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { AppConfig } from '@sekimori/config';
import { defaultRules, RuleEngine, type RulesConfig } from '@sekimori/rules';
import { SanctionsListStore } from '@sekimori/sanctions';
import { ExposureStore } from './enrichment/exposure.store';
import { RatesStore } from './enrichment/rates.store';
import { StructuringWindowStore } from './enrichment/structuring-window.store';
import { BrokerHealthIndicator, KAFKA_CLIENT } from './health/broker.health';
import { ConsumerHealthIndicator } from './health/consumer.health';
import { HealthController } from './health/health.controller';
import { RedisHealthIndicator } from './health/redis.health';
import { SanctionsListHealthIndicator } from './health/sanctions-list.health';
import { createRedis } from './infrastructure/redis';
import { APP_CONFIG, LOGGER, REDIS, RULE_ENGINE } from './infrastructure/tokens';
import { ListStatusService } from './observability/list-status.service';
import { MetricsController } from './observability/metrics.controller';
import { ScreeningMetrics } from './observability/screening-metrics';
import { RecordRatesService } from './record-rates/record-rates.service';
import { ScreenTransfersHandler } from './screen-transfers/screen-transfers.handler';
import { ScreenTransfersService } from './screen-transfers/screen-transfers.service';

class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}
  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

@Module({})
export class ScreenerModule {
  static forRoot(
    config: AppConfig,
    logger: Logger,
    rules: RulesConfig,
    kafka: Kafka,
  ): DynamicModule {
    return {
      module: ScreenerModule,
      // Terminus' own logger would write an error line on every failing probe; the health
      // controller logs changes of state instead.
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [ScreenTransfersHandler, HealthController, MetricsController],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: KAFKA_CLIENT, useValue: kafka },
        { provide: LOGGER, useValue: logger },
        { provide: REDIS, useFactory: () => createRedis(config.redis.url) },
        {
          provide: SanctionsListStore,
          inject: [REDIS],
          useFactory: (redis: Redis) =>
            new SanctionsListStore(redis, config.redis.keyPrefix, config.lists.required),
        },
        {
          provide: RatesStore,
          inject: [REDIS],
          useFactory: (redis: Redis) => new RatesStore(redis, config.redis.keyPrefix),
        },
        {
          provide: StructuringWindowStore,
          inject: [REDIS],
          useFactory: (redis: Redis) =>
            new StructuringWindowStore(redis, config.redis.keyPrefix, rules.structuringWindowDays),
        },
        {
          provide: ExposureStore,
          inject: [REDIS],
          useFactory: (redis: Redis) =>
            new ExposureStore(redis, config.redis.keyPrefix, rules.exposureTtlDays),
        },
        { provide: RULE_ENGINE, useFactory: () => new RuleEngine(defaultRules(), rules) },
        RedisCloser,
        ScreeningMetrics,
        ListStatusService,
        ScreenTransfersService,
        RecordRatesService,
        BrokerHealthIndicator,
        ConsumerHealthIndicator,
        RedisHealthIndicator,
        SanctionsListHealthIndicator,
      ],
      exports: [ScreeningMetrics, ListStatusService, ConsumerHealthIndicator, REDIS],
    };
  }
}
