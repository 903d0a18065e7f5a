import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import { ScreeningUnavailableError } from '@sekimori/contracts';

/** A Lua script run by EVALSHA, loaded with EVAL the first time a server has not seen it. */
export class RedisScript {
  readonly sha: string;

  constructor(readonly lua: string) {
    this.sha = createHash('sha1').update(lua).digest('hex');
  }

  async run(redis: Redis, keys: string[], args: string[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      // First use on this server, or after SCRIPT FLUSH or a failover.
      return redis.eval(this.lua, keys.length, ...keys, ...args);
    }
  }
}

// Connection-level failures as ioredis reports them, and server replies that mean "not serving".
const CONNECTION_FAILURES =
  /Connection is closed|Command timed out|Socket timeout|ETIMEDOUT|Stream isn't writeable|Command aborted|Reached the max retries|Ready check failed|ECONNREFUSED|ECONNRESET|EPIPE|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN/;
const UNAVAILABLE_REPLIES = /^(LOADING|BUSY|MASTERDOWN|READONLY|TRYAGAIN|CLUSTERDOWN|OOM)\b/;

function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'ReplyError') return UNAVAILABLE_REPLIES.test(error.message);
  if (error.name === 'MaxRetriesPerRequestError' || error.name === 'AbortError') return true;
  const code = (error as NodeJS.ErrnoException).code;
  return (
    CONNECTION_FAILURES.test(error.message) ||
    (typeof code === 'string' && CONNECTION_FAILURES.test(code))
  );
}

/**
 * Turns an outage into the retriable screening error, so the consumer holds the batch and
 * retries instead of screening without state; anything else (a bug) propagates unchanged.
 */
export async function guardRedis<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUnavailable(error)) {
      throw new ScreeningUnavailableError(
        'REDIS_UNAVAILABLE',
        `Redis is unavailable (${what}): ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
}
