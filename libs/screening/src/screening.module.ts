import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { AppConfig } from '@sekimori/config';
import { createRedisClient, type RedisClient } from '@sekimori/redis';
import { defaultRules, RuleEngine, type RulesConfig } from '@sekimori/rules';
import { NameIndexCache, SanctionsListStore } from '@sekimori/list-store';
import { ExposureStore } from './enrichment/exposure.store';
import { RatesStore } from './enrichment/rates.store';
import { RoutingStore } from './enrichment/routing.store';
import { StructuringWindowStore } from './enrichment/structuring-window.store';
import { APP_CONFIG, LOGGER, REDIS, RULE_ENGINE } from './infrastructure/tokens';
import { RetroStore } from './retro/retro.store';
import { ScreenTransfers } from './screen-transfers/screen-transfers';

class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: RedisClient) {}
  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/**
 * The screening use case and its stores, wired to one Redis client (a single Redis or a
 * cluster, by REDIS_CLUSTER): what every adapter
 * (the Kafka batch handler, the screening API, the bench's stock Nest variant) builds on.
 */
@Module({})
export class ScreeningModule {
  static forRoot(config: AppConfig, logger: Logger, rules: RulesConfig): DynamicModule {
    const prefix = config.redis.keyPrefix;
    return {
      module: ScreeningModule,
      global: true,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        {
          provide: REDIS,
          useFactory: () => createRedisClient(config.redis),
        },
        {
          provide: SanctionsListStore,
          inject: [REDIS],
          useFactory: (redis: RedisClient) =>
            new SanctionsListStore(redis, prefix, config.lists.required),
        },
        {
          provide: NameIndexCache,
          inject: [REDIS],
          useFactory: (redis: RedisClient) => new NameIndexCache(redis, prefix),
        },
        {
          provide: RatesStore,
          inject: [REDIS],
          useFactory: (redis: RedisClient) => new RatesStore(redis, prefix),
        },
        {
          provide: StructuringWindowStore,
          inject: [REDIS],
          useFactory: (redis: RedisClient) =>
            new StructuringWindowStore(redis, prefix, rules.structuringWindowDays),
        },
        {
          provide: ExposureStore,
          inject: [REDIS],
          useFactory: (redis: RedisClient) =>
            new ExposureStore(
              redis,
              prefix,
              rules.exposureTtlDays,
              rules.exposureMaxPathsPerAddress,
            ),
        },
        {
          provide: RoutingStore,
          inject: [REDIS],
          useFactory: (redis: RedisClient) => new RoutingStore(redis, prefix, rules),
        },
        { provide: RULE_ENGINE, useFactory: () => new RuleEngine(defaultRules(), rules) },
        {
          provide: ScreenTransfers,
          inject: [
            SanctionsListStore,
            RatesStore,
            StructuringWindowStore,
            ExposureStore,
            RoutingStore,
            NameIndexCache,
            RULE_ENGINE,
          ],
          useFactory: (
            lists: SanctionsListStore,
            rates: RatesStore,
            windows: StructuringWindowStore,
            exposures: ExposureStore,
            routing: RoutingStore,
            names: NameIndexCache,
            engine: RuleEngine,
          ) =>
            new ScreenTransfers(
              { lists, rates, windows, exposures, routing, names },
              engine,
              undefined,
              config.lists.nameThresholds,
            ),
        },
        {
          provide: RetroStore,
          inject: [REDIS],
          useFactory: (redis: RedisClient) =>
            new RetroStore(redis, prefix, config.retro.lookbackDays),
        },
        RedisCloser,
      ],
      exports: [
        APP_CONFIG,
        LOGGER,
        REDIS,
        RULE_ENGINE,
        SanctionsListStore,
        NameIndexCache,
        RatesStore,
        StructuringWindowStore,
        ExposureStore,
        RoutingStore,
        ScreenTransfers,
        RetroStore,
      ],
    };
  }
}
