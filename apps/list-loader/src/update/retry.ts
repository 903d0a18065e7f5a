import { setTimeout as sleep } from 'node:timers/promises';
import { FetchError } from './download';

export interface RetryPolicy {
  /** Further attempts after the first. */
  retries: number;
  /** Before the first retry; doubled before each next one. */
  delayMs: number;
  stop?: AbortSignal;
  onRetry?: (error: FetchError, attempt: number, waitMs: number) => void;
}

/**
 * Runs `attempt` until it succeeds, fails with an error that is not a retriable FetchError, or
 * has failed `retries + 1` times; the last error is thrown with the number of attempts on it.
 */
export async function withRetries<T>(
  attempt: (n: number) => Promise<T>,
  policy: RetryPolicy,
): Promise<{ value: T; attempts: number }> {
  for (let n = 1; ; n += 1) {
    try {
      return { value: await attempt(n), attempts: n };
    } catch (error) {
      const retriable = error instanceof FetchError && error.retriable;
      if (!retriable || n > policy.retries || policy.stop?.aborted) {
        throw Object.assign(error as Error, { attempts: n });
      }
      const waitMs = policy.delayMs * 2 ** (n - 1);
      policy.onRetry?.(error, n, waitMs);
      await sleep(waitMs, undefined, policy.stop ? { signal: policy.stop } : {}).catch(() => {
        throw Object.assign(error, { attempts: n });
      });
    }
  }
}

/** How many attempts an error thrown by withRetries took (1 for any other error). */
export function attemptsOf(error: unknown): number {
  const attempts = (error as { attempts?: unknown }).attempts;
  return typeof attempts === 'number' ? attempts : 1;
}
