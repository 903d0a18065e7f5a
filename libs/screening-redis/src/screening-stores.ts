import type { RedisClient } from '@sekimori/redis';
import type { RulesConfig } from '@sekimori/rules';
import { NameIndexCache, SanctionsListStore } from '@sekimori/list-store';
import type { ScreeningStores } from '@sekimori/screening';
import { ExposureStore } from './exposure.store';
import { RatesStore } from './rates.store';
import { RetroStore } from './retro.store';
import { ReviewStore } from './review.store';
import { RoutingStore } from './routing.store';
import { StructuringWindowStore } from './structuring-window.store';

export interface ScreeningStoresOptions {
  /** The key prefix every store builds its keys from (REDIS_KEY_PREFIX). */
  keyPrefix: string;
  rules: RulesConfig;
  /** Lists that must have a version before a lookup answers (LIST_REQUIRED); none by default. */
  requiredLists?: readonly string[];
  /** How far back a re-screen goes (RETRO_LOOKBACK_DAYS); it bounds the raised marks' TTL. */
  retroLookbackDays: number;
  /** How long alerts can be reviewed (REVIEW_WINDOW_DAYS); 180 unless told. */
  reviewWindowDays?: number;
  /**
   * The screener's: screening waits (retriable error) while Redis lacks the rebuilt review state
   * (ReviewStore). Replay and tools read whatever is there.
   */
  requireReviewState?: boolean;
}

/** The Redis adapters of the screening port, plus the re-screen store, on one client. */
export interface RedisScreeningStores extends ScreeningStores {
  lists: SanctionsListStore;
  names: NameIndexCache;
  rates: RatesStore;
  windows: StructuringWindowStore;
  exposures: ExposureStore;
  routing: RoutingStore;
  retro: RetroStore;
  reviews: ReviewStore;
  clearances: ReviewStore;
  freezes: ReviewStore;
}

/**
 * Every store the screening use case and its adapters need, built in one place: a new store is
 * added here and nowhere else (the Nest module, replay, the bench and the tests all call this).
 */
export function createScreeningStores(
  redis: RedisClient,
  options: ScreeningStoresOptions,
): RedisScreeningStores {
  const { keyPrefix: prefix, rules } = options;
  const reviews = new ReviewStore(
    redis,
    prefix,
    options.reviewWindowDays ?? 180,
    options.requireReviewState ?? false,
  );
  return {
    reviews,
    clearances: reviews,
    freezes: reviews,
    lists: new SanctionsListStore(redis, prefix, options.requiredLists ?? []),
    names: new NameIndexCache(redis, prefix),
    rates: new RatesStore(redis, prefix),
    windows: new StructuringWindowStore(redis, prefix, rules.structuringWindowDays),
    exposures: new ExposureStore(
      redis,
      prefix,
      rules.exposureTtlDays,
      rules.exposureMaxPathsPerAddress,
    ),
    routing: new RoutingStore(redis, prefix, rules),
    retro: new RetroStore(redis, prefix, options.retroLookbackDays),
  };
}
