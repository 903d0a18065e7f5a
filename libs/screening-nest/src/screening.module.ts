import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { AppConfig } from '@sekimori/config';
import { createRedisClient, type RedisClient } from '@sekimori/redis';
import { defaultRules, RuleEngine, type RulesConfig } from '@sekimori/rules';
import { NameIndexCache, SanctionsListStore } from '@sekimori/list-store';
import { ScreenTransfers } from '@sekimori/screening';
import {
  createScreeningStores,
  ExposureStore,
  RatesStore,
  type RedisScreeningStores,
  RetroStore,
  ReviewStore,
  RoutingStore,
  StructuringWindowStore,
} from '@sekimori/screening-redis';
import { APP_CONFIG, LOGGER, REDIS, RULE_ENGINE, SCREENING_STORES } from './tokens';

class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: RedisClient) {}
  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** Each store, injectable by its class, taken from the one assembly. */
const STORE_OF = {
  lists: SanctionsListStore,
  names: NameIndexCache,
  rates: RatesStore,
  windows: StructuringWindowStore,
  exposures: ExposureStore,
  routing: RoutingStore,
  retro: RetroStore,
  reviews: ReviewStore,
} as const;

/**
 * The screening use case and its stores, wired to one Redis client (a single Redis or a
 * cluster, by REDIS_CLUSTER): what every adapter
 * (the Kafka batch handler, the screening API, the bench's stock Nest variant) builds on.
 */
@Module({})
export class ScreeningModule {
  static forRoot(config: AppConfig, logger: Logger, rules: RulesConfig): DynamicModule {
    const stores = Object.entries(STORE_OF).map(([name, store]) => ({
      provide: store,
      inject: [SCREENING_STORES],
      useFactory: (all: RedisScreeningStores) => all[name as keyof typeof STORE_OF],
    }));
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
          provide: SCREENING_STORES,
          inject: [REDIS],
          useFactory: (redis: RedisClient) =>
            createScreeningStores(redis, {
              keyPrefix: config.redis.keyPrefix,
              rules,
              requiredLists: config.lists.required,
              retroLookbackDays: config.retro.lookbackDays,
              reviewWindowDays: config.reviews.windowDays,
              requireReviewState: true,
            }),
        },
        ...stores,
        { provide: RULE_ENGINE, useFactory: () => new RuleEngine(defaultRules(), rules) },
        {
          provide: ScreenTransfers,
          inject: [SCREENING_STORES, RULE_ENGINE],
          useFactory: (all: RedisScreeningStores, engine: RuleEngine) =>
            new ScreenTransfers(
              all,
              engine,
              undefined,
              config.lists.nameThresholds,
              config.lists.nameEvidence,
            ),
        },
        RedisCloser,
      ],
      exports: [
        APP_CONFIG,
        LOGGER,
        REDIS,
        RULE_ENGINE,
        SCREENING_STORES,
        ...Object.values(STORE_OF),
        ScreenTransfers,
      ],
    };
  }
}
