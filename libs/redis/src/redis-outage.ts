import { ScreeningUnavailableError } from '@sekimori/contracts';

/**
 * Connection-level failures as ioredis reports them (ioredis/built/Redis.js, Command.js,
 * redis/event_handler.js, cluster/index.js): closed or refused connections, socket and command
 * timeouts, a refused offline queue, exhausted retries, a cluster without its slot map or whose
 * redirections (MOVED, CLUSTERDOWN during a failover) ran out.
 */
const CONNECTION_FAILURES =
  /Connection is closed|Command timed out|Socket timeout|ETIMEDOUT|Stream isn't writeable|Command aborted|Reached the max retries|Ready check failed|Cluster isn't ready|None of startup nodes is available|Failed to refresh slots cache|Too many Cluster redirections|ECONNREFUSED|ECONNRESET|EPIPE|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN/;

/**
 * Server replies that mean "cannot serve right now" rather than "this command is wrong"
 * (https://redis.io/docs/latest/develop/reference/protocol-spec/#simple-errors).
 */
const UNAVAILABLE_REPLIES =
  /^(LOADING|BUSY|CLUSTERDOWN|TRYAGAIN|MASTERDOWN|READONLY|NOREPLICAS|MOVED|ASK|OOM)\b/;

/** Whether an error from ioredis is an outage (retry later) rather than a bug (fix the code). */
export function isRedisOutage(error: unknown): boolean {
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
 * Runs Redis work and turns an outage into the retriable screening error, so that the
 * consumer holds the batch and retries instead of screening without state. Anything else (a
 * bug) propagates unchanged.
 */
export async function guardRedis<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ScreeningUnavailableError || !isRedisOutage(error)) throw error;
    throw new ScreeningUnavailableError(
      'REDIS_UNAVAILABLE',
      `Redis is unavailable (${what}): ${(error as Error).message}`,
      { cause: error },
    );
  }
}
