import { createHash } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import type { TopicNames } from '@sekimori/contracts';
import { testRedisUrl, waitFor } from '../support/env';
import { exchangeTransfer } from '../support/fixtures';
import { createTopics, deleteTopics, freshTopics, topicEnv } from '../support/kafka';
import { excerptList, publishList } from '../support/lists';
import { dropPrefix, freshPrefix, redisClient } from '../support/redis';
import { type LogLine, ScreenerProcess } from '../support/screener-process';
import { httpGet, httpPortOf, metricValue } from '../health/http-probe';

jest.setTimeout(240_000);

const FLOODER = 'token-of-the-client-that-floods';
const NEIGHBOUR = 'token-of-the-client-next-door';
// The later tests' key: the neighbour's bucket may still be empty from the flood test's second.
const CALM = 'token-of-a-client-that-calls-now-and-then';
const digestOf = (token: string) => createHash('sha256').update(token).digest('hex');
const GARANTEX_ETH = '0x7FF9cFad3877F21d41Da833E2F775dB0569eE3D9';
const RATE_LIMIT = 5;
const BODY_TIMEOUT_MS = 500;

interface Reply {
  status: number;
  retryAfter: string | null;
  body: Record<string, unknown>;
}

async function screen(port: number, token: string, event: unknown = exchangeTransfer()) {
  const response = await fetch(`http://127.0.0.1:${port}/v1/screen`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(event),
    signal: AbortSignal.timeout(15_000),
  });
  const reply: Reply = {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json()) as Record<string, unknown>,
  };
  return reply;
}

/** A raw connection, for what fetch will not do: trickle a body, hold a connection open. */
class RawConnection {
  received = '';
  closed = false;
  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => (this.received += chunk.toString('latin1')));
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => undefined);
  }

  static open(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  /** Sends a whole GET and waits for its whole answer (Content-Length), keeping the connection. */
  async get(path: string): Promise<string> {
    const from = this.received.length;
    this.socket.write(`GET ${path} HTTP/1.1\r\nHost: test\r\n\r\n`);
    return waitFor(`the answer to GET ${path}`, () => {
      const reply = this.received.slice(from);
      const headEnd = reply.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(reply)?.[1];
      if (headEnd < 0 || length === undefined) return undefined;
      return reply.length >= headEnd + 4 + Number(length) ? reply : undefined;
    });
  }
}

describe('screening API under abuse', () => {
  const redis = redisClient();
  const prefix = freshPrefix();
  let topics: TopicNames;
  let screener: ScreenerProcess;
  let port: number;

  beforeAll(async () => {
    await publishList(testRedisUrl(), prefix, await excerptList());
    topics = freshTopics();
    await createTopics(topics, 1);
    screener = await ScreenerProcess.start({
      ...topicEnv(topics),
      REDIS_KEY_PREFIX: prefix,
      SCREENING_API_KEYS: `${digestOf(FLOODER)},${digestOf(NEIGHBOUR)},${digestOf(CALM)}`,
      API_RATE_LIMIT_PER_SECOND: String(RATE_LIMIT),
      API_BODY_TIMEOUT_MS: String(BODY_TIMEOUT_MS),
    });
    port = await httpPortOf(screener);
  });

  afterAll(async () => {
    await screener?.stop('SIGTERM');
    await deleteTopics(topics);
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  const apiLines = (): LogLine[] => screener.logs.filter((l) => l.msg === 'api request');

  it('answers a flooding key 429 with Retry-After, and keeps answering another key', async () => {
    const first = await screen(port, FLOODER);
    expect(first.status).toBe(200);
    // The flooder goes on until it is refused; its bucket holds RATE_LIMIT requests.
    const flood: Reply[] = [first];
    while (flood.at(-1)?.status !== 429) {
      flood.push(await screen(port, FLOODER));
      expect(flood.length).toBeLessThan(200);
    }
    const refused = flood.at(-1) as Reply;
    expect(refused.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
    expect(refused.retryAfter).toMatch(/^[1-9]\d*$/);
    expect(flood.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(RATE_LIMIT);

    // While the flooder keeps on (and keeps being refused), the neighbour's requests, fewer
    // than its own bucket holds, are all answered.
    const more = Promise.all(Array.from({ length: 20 }, () => screen(port, FLOODER)));
    const neighbour: Reply[] = [];
    for (let i = 0; i < RATE_LIMIT - 1; i += 1) neighbour.push(await screen(port, NEIGHBOUR));
    expect(neighbour.map((r) => r.status)).toEqual(Array(RATE_LIMIT - 1).fill(200));
    const flooded = await more;
    expect(flooded.filter((r) => r.status === 429).length).toBeGreaterThan(10);

    // The lookups are limited too: the key's budget is one for every route.
    const lookups = await Promise.all(
      Array.from({ length: 3 * RATE_LIMIT }, () =>
        fetch(`http://127.0.0.1:${port}/v1/addresses/ethereum/${GARANTEX_ETH}`, {
          headers: { authorization: `Bearer ${FLOODER}` },
        }),
      ),
    );
    expect(lookups.map((r) => r.status)).toContain(429);
    // A refused key is refused, not limited: no budget is spent on it.
    const unknown = await screen(port, 'not-a-key');
    expect(unknown.status).toBe(401);
  });

  it('cuts a body that trickles in slower than API_BODY_TIMEOUT_MS with 408, and closes the connection', async () => {
    const body = JSON.stringify(exchangeTransfer());
    const conn = await RawConnection.open(port);
    conn.socket.write(
      `POST /v1/screen HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer ${CALM}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    // One byte at a time, far slower than the timeout allows for the whole body.
    let sent = 0;
    const trickle = setInterval(() => {
      if (!conn.closed && sent < body.length) conn.socket.write(body[sent++]);
    }, 50);
    try {
      await waitFor('the connection closed by the screener', () => conn.closed, 20_000);
    } finally {
      clearInterval(trickle);
    }
    expect(sent).toBeLessThan(body.length);
    expect(conn.received).toMatch(/^HTTP\/1\.1 408 /);
    expect(conn.received).toMatch(/\r\nconnection: close\r\n/i);
    const answer = JSON.parse(conn.received.slice(conn.received.indexOf('\r\n\r\n') + 4)) as {
      code?: string;
    };
    expect(answer).toMatchObject({ statusCode: 408, code: 'BODY_TIMEOUT' });
    // The screener still answers.
    expect((await screen(port, CALM)).status).toBe(200);
  });

  it('writes one access-log line per request, without the body or the token', async () => {
    const event = exchangeTransfer();
    expect((await screen(port, CALM, event)).status).toBe(200);
    const lookup = await fetch(`http://127.0.0.1:${port}/v1/addresses/ethereum/${GARANTEX_ETH}`, {
      headers: { authorization: `Bearer ${CALM}` },
    });
    expect(lookup.status).toBe(200);
    const screened = await waitFor('the access-log line of the screened event', () =>
      apiLines().find((l) => l.eventId === event.eventId),
    );
    expect(screened).toMatchObject({
      method: 'POST',
      route: '/v1/screen',
      status: 200,
      keyId: digestOf(CALM).slice(0, 8),
      ms: expect.any(Number),
    });
    const looked = await waitFor("the access-log line of the neighbour's lookup", () =>
      apiLines().find(
        (l) =>
          l.route === '/v1/addresses/:chain/:address' &&
          l.status === 200 &&
          l.keyId === digestOf(CALM).slice(0, 8),
      ),
    );
    expect(looked).toMatchObject({ method: 'GET', ms: expect.any(Number) });
    const statuses = new Set(apiLines().map((l) => l.status));
    for (const status of [200, 401, 408, 429]) expect(statuses).toContain(status);
    const refused = apiLines().find((l) => l.status === 401);
    expect(refused?.keyId).toBeUndefined();
    const limited = apiLines().find((l) => l.status === 429);
    expect(limited?.keyId).toBe(digestOf(FLOODER).slice(0, 8));

    const everything = screener.logs.map((l) => JSON.stringify(l)).join('\n');
    for (const secret of [FLOODER, NEIGHBOUR, CALM, GARANTEX_ETH, String(event.address)]) {
      expect(everything).not.toContain(secret);
    }
  });

  it('observes every request in sekimori_api_request_duration_seconds by route and status', async () => {
    const metrics = (await httpGet<string>(port, '/metrics')).text;
    const count = (route: string, status: number) =>
      metricValue(metrics, 'sekimori_api_request_duration_seconds_count', {
        route,
        status: String(status),
      }) ?? 0;
    const lines = apiLines();
    for (const [route, status] of [
      ['/v1/screen', 200],
      // Refusals are answered before routing (a flood must cost next to nothing), under one label.
      ['/v1/*', 429],
      ['/v1/screen', 408],
      ['/v1/screen', 401],
    ] as const) {
      const logged = lines.filter((l) => l.route === route && l.status === status).length;
      expect({ route, status, count: count(route, status) }).toEqual({
        route,
        status,
        count: logged,
      });
      expect(logged).toBeGreaterThan(0);
    }
    expect(metrics).toMatch(
      /sekimori_api_request_duration_seconds_bucket\{le="0\.02",route="\/v1\/screen",status="200"\} \d+/,
    );
  });
});

describe('screening API connection cap', () => {
  it('closes connections past API_MAX_CONNECTIONS, and takes new ones once others have closed', async () => {
    const topics = freshTopics();
    await createTopics(topics, 1);
    const screener = await ScreenerProcess.start({
      ...topicEnv(topics),
      REDIS_KEY_PREFIX: freshPrefix(),
      API_MAX_CONNECTIONS: '3',
    });
    const held: RawConnection[] = [];
    try {
      const port = await httpPortOf(screener);
      for (let i = 0; i < 3; i += 1) {
        const conn = await RawConnection.open(port);
        // An answer proves the server took the connection; the half-sent request after it keeps
        // the connection busy, out of reach of the idle keep-alive timeout.
        expect(await conn.get('/health/live')).toMatch(/^HTTP\/1\.1 200 /);
        conn.socket.write('GET /health/live HTTP/1.1\r\n');
        held.push(conn);
      }
      const fourth = await RawConnection.open(port);
      fourth.socket.write('GET /health/live HTTP/1.1\r\nHost: test\r\n\r\n');
      await waitFor('the fourth connection closed', () => fourth.closed, 10_000);
      expect(fourth.received).toBe('');

      held.pop()?.socket.destroy();
      const answered = await waitFor('a connection taken again', async () => {
        const conn = await RawConnection.open(port);
        const ok = await Promise.race([
          conn.get('/health/live'),
          waitFor('closed', () => conn.closed).then(() => undefined),
        ]);
        conn.socket.destroy();
        return ok;
      });
      expect(answered).toMatch(/^HTTP\/1\.1 200 /);
      // Once the server has seen the probes' connections close, there is room for a scrape.
      const metrics = await waitFor('a scrape', () =>
        httpGet<string>(port, '/metrics').then(
          (r) => r.text,
          () => undefined,
        ),
      );
      expect(metricValue(metrics, 'sekimori_api_connections_dropped_total')).toBeGreaterThanOrEqual(
        1,
      );
    } finally {
      for (const conn of held) conn.socket.destroy();
      await screener.stop('SIGTERM');
      await deleteTopics(topics);
    }
  });
});
