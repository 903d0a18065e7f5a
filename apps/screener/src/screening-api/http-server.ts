import type { Server } from 'node:http';
import type { AppConfig } from '@sekimori/config';

/** Headers must be in within this: a client that trickles them holds a connection for nothing. */
const HEADERS_TIMEOUT_MS = 10_000;
/**
 * An idle keep-alive connection is closed after this. Kept short because idle connections count
 * against API_MAX_CONNECTIONS.
 */
const KEEP_ALIVE_TIMEOUT_MS = 5_000;

/**
 * The HTTP server's own limits, under the API's: a cap on open connections (past it, Node
 * closes a new connection at once) and timeouts for headers and idle connections. Node's whole
 * request timeout is a backstop behind the API's 408 (API_BODY_TIMEOUT_MS), which comes first.
 */
export function limitHttpServer(server: Server, api: AppConfig['api'], onDrop: () => void): void {
  server.maxConnections = api.maxConnections;
  server.on('drop', onDrop);
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = HEADERS_TIMEOUT_MS + api.bodyTimeoutMs + 5_000;
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
}
