import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type Redis from 'ioredis';
import { REDIS } from '@sekimori/screening';
import { messageOf, withTimeout } from './with-timeout';

const PING_TIMEOUT_MS = 1_000;

/** Redis answers a PING: the list lookups, rates and structuring windows all live there. */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(key = 'redis') {
    const session = this.indicators.check(key);
    const started = performance.now();
    try {
      // The client does not queue while disconnected (see infrastructure/redis.ts), so this
      // fails at once when the connection is down instead of waiting for the reconnect.
      await withTimeout(this.redis.ping(), PING_TIMEOUT_MS, 'Redis PING');
      return session.up({ latencyMs: Math.round((performance.now() - started) * 10) / 10 });
    } catch (error) {
      return session.down({
        message: `Redis is unreachable: ${messageOf(error)}`,
        connection: this.redis.status,
      });
    }
  }
}
