import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What one path of the list server answers; a test changes it between runs. */
export interface Route {
  body?: Buffer;
  status?: number;
  etag?: string;
  lastModified?: string;
  /** Answer 304 when the request's validators match (default true when etag/lastModified set). */
  conditional?: boolean;
  /** Wait before the headers (a server that does not answer in time). */
  delayMs?: number;
  /** Announce the whole body's length, send this many bytes, then drop the connection. */
  cutAfter?: number;
}

/** An HTTP server on 127.0.0.1 that serves list files as a publisher would (tests only). */
export class ListServer {
  private readonly routes = new Map<string, Route>();
  readonly requests: Array<{ path: string; headers: IncomingHttpHeaders }> = [];
  private server: Server | null = null;
  private port = 0;

  route(path: string, route: Route): this {
    this.routes.set(path, route);
    return this;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  requestsTo(path: string): Array<{ path: string; headers: IncomingHttpHeaders }> {
    return this.requests.filter((r) => r.path === path);
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const path = request.url ?? '/';
      this.requests.push({ path, headers: request.headers });
      const route = this.routes.get(path);
      if (!route) {
        response.writeHead(404).end('not found');
        return;
      }
      const answer = (): void => {
        const status = route.status ?? 200;
        const validators: Record<string, string> = {};
        if (route.etag) validators.etag = route.etag;
        if (route.lastModified) validators['last-modified'] = route.lastModified;
        const matches =
          (route.etag !== undefined && request.headers['if-none-match'] === route.etag) ||
          (route.etag === undefined &&
            route.lastModified !== undefined &&
            request.headers['if-modified-since'] === route.lastModified);
        if (status === 200 && route.conditional !== false && matches) {
          response.writeHead(304, validators).end();
          return;
        }
        const body = route.body ?? Buffer.from(`status ${status}`);
        response.writeHead(status, { ...validators, 'content-length': String(body.length) });
        if (route.cutAfter !== undefined) {
          response.write(body.subarray(0, route.cutAfter), () => response.destroy());
          return;
        }
        response.end(body);
      };
      if (route.delayMs) setTimeout(answer, route.delayMs);
      else answer();
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
