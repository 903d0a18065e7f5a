import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { rateLimitedBody } from './api-errors';
import { acceptedKeyDigest } from './api-key';
import type { AnsweredRequest } from './access-log';
import { notesOf } from './api-request';
import type { KeyLanes } from './key-lanes';
import type { TokenBuckets } from './rate-limit';

/** The API's routes all sit under this prefix; health and metrics do not, and are never limited. */
const API_PREFIX = '/v1/';
/** The route label of a request refused before routing: the limit is a key's, across routes. */
export const GATE_ROUTE = '/v1/*';

type Serve = (req: IncomingMessage, res: ServerResponse) => void;

export interface ApiGateOptions {
  keyDigests: readonly Buffer[];
  /** API_RATE_LIMIT_PER_SECOND's buckets; null when the limit is off. */
  buckets: TokenBuckets | null;
  /** API_REFUSAL_DELAY_MS. */
  refusalDelayMs: number;
  /** API_MAX_IN_FLIGHT_PER_KEY's lanes; null when there is no cap. */
  lanes: KeyLanes | null;
  /** Told of every request the gate answers itself (429). */
  answered: (request: AnsweredRequest) => void;
}

/**
 * What keeps one key from starving the others, in front of Express and Nest, per accepted key:
 * - API_RATE_LIMIT_PER_SECOND: past it, 429 with Retry-After, answered here, where it costs next
 *   to nothing (through Nest's guards and exception filter a refusal cost as much as a
 *   screening), and after API_REFUSAL_DELAY_MS (at most the Retry-After), so that a client that
 *   asks again as soon as it is refused asks once per pause and connection;
 * - API_MAX_IN_FLIGHT_PER_KEY: the key's further requests wait in its own line (KeyLanes).
 * Requests without an accepted key pass straight through, for the API key guard to answer 401.
 */
export class ApiGate {
  constructor(private readonly options: ApiGateOptions) {}

  admit(req: IncomingMessage, res: ServerResponse, serve: Serve): void {
    if (req.url?.startsWith(API_PREFIX) !== true) return serve(req, res);
    const { keyDigests, buckets, lanes } = this.options;
    const notes = notesOf(req);
    const started = (notes.receivedAt = performance.now());
    const key = (notes.keyDigest = acceptedKeyDigest(req.headers.authorization, keyDigests));
    if (key === undefined) return serve(req, res);
    const waitSeconds = buckets?.take(key) ?? 0;
    if (waitSeconds > 0) return this.refuse(req, res, waitSeconds, started);
    if (lanes === null) return serve(req, res);
    lanes.enter(key, () => {
      // A client that went away while it waited has nothing to be served.
      if (res.destroyed) return lanes.leave(key);
      res.once('close', () => lanes.leave(key));
      serve(req, res);
    });
  }

  private refuse(
    req: IncomingMessage,
    res: ServerResponse,
    waitSeconds: number,
    started: number,
  ): void {
    // The unread body is discarded, so that the connection can carry the client's next request.
    req.resume();
    const retryAfter = Math.max(1, Math.ceil(waitSeconds));
    const answer = (): void => {
      if (res.destroyed) return;
      const body = JSON.stringify(rateLimitedBody(retryAfter));
      res.writeHead(429, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
        'retry-after': String(retryAfter),
      });
      res.end(body);
      const ms = performance.now() - started;
      this.options.answered({
        method: req.method,
        route: GATE_ROUTE,
        status: 429,
        ms,
        notes: notesOf(req),
      });
    };
    const pause = Math.min(this.options.refusalDelayMs, retryAfter * 1000);
    // Unreferenced: a pending refusal does not keep a stopping screener alive.
    if (pause > 0) setTimeout(answer, pause).unref();
    else answer();
  }
}

/** Puts the gate in front of whatever serves the server's requests (the Nest app). */
export function gateHttpServer(server: Server, gate: ApiGate): void {
  const listeners = server.listeners('request') as Serve[];
  server.removeAllListeners('request');
  const serve: Serve = (req, res) => {
    for (const listener of listeners) listener(req, res);
  };
  server.on('request', (req: IncomingMessage, res: ServerResponse) => gate.admit(req, res, serve));
}
