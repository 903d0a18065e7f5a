import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { rateLimitedBody } from './api-errors';
import { acceptedKeyDigest } from './api-key';
import type { AnsweredRequest } from './access-log';
import { notesOf } from './api-request';
import type { TokenBuckets } from './rate-limit';

/** The API's routes all sit under this prefix; health and metrics do not, and are never limited. */
const API_PREFIX = '/v1/';
/** The route label of a request refused before routing: the limit is a key's, across routes. */
export const GATE_ROUTE = '/v1/*';

/**
 * API_RATE_LIMIT_PER_SECOND per key, applied before Express and Nest see the request. A flooding
 * client's 429s must cost next to nothing, or its refusals alone starve every other key of the
 * event loop: through Nest's guards and exception filter a refusal cost as much as a screening.
 * And each is answered after API_REFUSAL_DELAY_MS (at most its Retry-After): a client that asks
 * again as soon as it is refused then asks once per pause and connection, not as fast as the CPU
 * answers. Requests without an accepted key pass through, for the API key guard to answer 401.
 */
export class RateLimitGate {
  constructor(
    private readonly buckets: TokenBuckets,
    private readonly keyDigests: readonly Buffer[],
    private readonly refusalDelayMs: number,
    private readonly answered: (request: AnsweredRequest) => void,
  ) {}

  /** True when the request is answered here (429); false when the app should serve it. */
  refused(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.url?.startsWith(API_PREFIX) !== true) return false;
    const started = performance.now();
    const notes = notesOf(req);
    notes.keyDigest = acceptedKeyDigest(req.headers.authorization, this.keyDigests);
    if (notes.keyDigest === undefined) return false;
    const waitSeconds = this.buckets.take(notes.keyDigest);
    if (waitSeconds === 0) return false;
    // The unread body is discarded, so that the connection can carry the client's next request.
    req.resume();
    const retryAfter = Math.max(1, Math.ceil(waitSeconds));
    const refuse = (): void => {
      if (res.destroyed) return;
      const body = JSON.stringify(rateLimitedBody(retryAfter));
      res.writeHead(429, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
        'retry-after': String(retryAfter),
      });
      res.end(body);
      const ms = performance.now() - started;
      this.answered({ method: req.method, route: GATE_ROUTE, status: 429, ms, notes });
    };
    const pause = Math.min(this.refusalDelayMs, retryAfter * 1000);
    // Unreferenced: a pending refusal does not keep a stopping screener alive.
    if (pause > 0) setTimeout(refuse, pause).unref();
    else refuse();
    return true;
  }
}

/** Puts the gate in front of whatever serves the server's requests (the Nest app). */
export function gateHttpServer(server: Server, gate: RateLimitGate): void {
  const serve = server.listeners('request') as ((
    req: IncomingMessage,
    res: ServerResponse,
  ) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (gate.refused(req, res)) return;
    for (const listener of serve) listener(req, res);
  });
}
