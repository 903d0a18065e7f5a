import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { dataNodes, isCluster, type RedisClient } from '@sekimori/redis';
import { REDIS } from '@sekimori/screening-nest';
import { messageOf, withTimeout } from './with-timeout';

const PING_TIMEOUT_MS = 1_000;

/**
 * Redis answers a PING: the list lookups, rates and structuring windows all live there. On a
 * cluster every master must answer, since each store's slot may be on any of them.
 */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(key = 'redis') {
    const session = this.indicators.check(key);
    const started = performance.now();
    try {
      // The client does not queue while disconnected (see libs/redis create-redis.ts), so this
      // fails at once when the connection is down instead of waiting for the reconnect.
      await withTimeout(this.ping(), PING_TIMEOUT_MS, 'Redis PING');
      return session.up({
        latencyMs: Math.round((performance.now() - started) * 10) / 10,
        ...(isCluster(this.redis) ? { masters: dataNodes(this.redis).length } : {}),
      });
    } catch (error) {
      return session.down({
        message: `Redis is unreachable: ${messageOf(error)}`,
        connection: this.redis.status,
      });
    }
  }

  private async ping(): Promise<void> {
    if (!isCluster(this.redis)) {
      await this.redis.ping();
      return;
    }
    // A cluster client that lost its slot map knows no master: that is down, not healthy.
    if (this.redis.status !== 'ready') throw new Error(`cluster client is ${this.redis.status}`);
    const masters = dataNodes(this.redis);
    if (masters.length === 0) throw new Error('no cluster master is known');
    await Promise.all(masters.map((node) => node.ping()));
  }
}
