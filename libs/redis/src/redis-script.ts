import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * A Lua script run by EVALSHA, and loaded with EVAL the first time a server does not know it
 * (first use, after SCRIPT FLUSH, after a failover). Scripts are how sekimori reads or changes
 * several keys as one step: a list switch, a batch lookup, a structuring window.
 */
export class RedisScript {
  readonly sha: string;

  constructor(
    readonly lua: string,
    readonly name = 'script',
  ) {
    this.sha = createHash('sha1').update(lua).digest('hex');
  }

  async run(redis: Redis, keys: readonly string[], args: readonly string[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(this.lua, keys.length, ...keys, ...args);
    }
  }
}
