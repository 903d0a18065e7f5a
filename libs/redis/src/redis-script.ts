import { createHash } from 'node:crypto';
import type { RedisClient } from './create-redis';

/**
 * A Lua script run by EVALSHA, and loaded with EVAL the first time a server does not know it
 * (first use, after SCRIPT FLUSH, after a failover). Scripts are how sekimori reads or changes
 * several keys as one step: a list switch, a batch lookup, a structuring window.
 *
 * Every key a script touches is in `keys`, and all of them in one hash slot: a cluster routes
 * the call by its first key and refuses keys of another slot (CROSSSLOT).
 */
export class RedisScript {
  readonly sha: string;

  constructor(
    readonly lua: string,
    readonly name = 'script',
  ) {
    this.sha = createHash('sha1').update(lua).digest('hex');
  }

  async run(
    redis: RedisClient,
    keys: readonly string[],
    args: readonly string[],
  ): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(this.lua, keys.length, ...keys, ...args);
    }
  }
}
