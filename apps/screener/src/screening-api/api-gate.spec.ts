import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AnsweredRequest } from './access-log';
import { keyDigestBuffers } from './api-key';
import { TokenBuckets } from './rate-limit';
import { ApiGate, gateHttpServer, GATE_ROUTE } from './api-gate';
import { KeyLanes } from './key-lanes';

const FLOODER = 'flooder-token';
const NEIGHBOUR = 'neighbour-token';
const digest = (token: string): string => createHash('sha256').update(token).digest('hex');

describe('ApiGate: the rate limit', () => {
  let server: Server;
  let url: string;
  let served: number;
  let answered: AnsweredRequest[];
  let refusalDelayMs = 0;

  beforeEach(async () => {
    served = 0;
    answered = [];
    // What the Nest app would be: it answers whatever the gate lets through.
    server = createServer((req, res) => {
      served += 1;
      req.resume();
      req.once('end', () => res.end('served'));
    });
    // A frozen clock: the bucket of 2 never refills during a test.
    const buckets = new TokenBuckets(2, 100, () => 0);
    const gate = new ApiGate({
      keyDigests: keyDigestBuffers([FLOODER, NEIGHBOUR].map(digest)),
      buckets,
      refusalDelayMs,
      lanes: null,
      answered: (r) => answered.push(r),
    });
    gateHttpServer(server, gate);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const post = (path: string, token?: string): Promise<Response> =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      body: JSON.stringify({ padding: 'x'.repeat(10_000) }),
    });

  it('answers a key past its budget with 429 and Retry-After, before the app sees it', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await post('/v1/screen', FLOODER)).status);
    expect(statuses).toEqual([200, 200, 429, 429, 429]);
    expect(served).toBe(2);

    const refused = await post('/v1/screen', FLOODER);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
    expect(answered).toHaveLength(4);
    expect(answered[0]).toMatchObject({ route: GATE_ROUTE, status: 429, method: 'POST' });
    expect(answered[0].notes.keyDigest).toBe(digest(FLOODER));
  });

  describe('with a pause before each refusal', () => {
    beforeAll(() => (refusalDelayMs = 1_000));
    afterAll(() => (refusalDelayMs = 0));

    it('answers the 429 after the pause, and the other key meanwhile', async () => {
      for (let i = 0; i < 2; i += 1) await post('/v1/screen', FLOODER);
      const order: string[] = [];
      const refusedAt = performance.now();
      const refusal = post('/v1/screen', FLOODER).then((r) => (order.push('refusal'), r));
      const served = post('/v1/screen', NEIGHBOUR).then((r) => (order.push('neighbour'), r));
      expect((await served).status).toBe(200);
      expect((await refusal).status).toBe(429);
      expect(order).toEqual(['neighbour', 'refusal']);
      expect(performance.now() - refusedAt).toBeGreaterThanOrEqual(990);
      expect(answered[0].ms).toBeGreaterThanOrEqual(990);
    });
  });

  it('serves another key beside a flooding one', async () => {
    for (let i = 0; i < 4; i += 1) await post('/v1/screen', FLOODER);
    expect((await post('/v1/screen', NEIGHBOUR)).status).toBe(200);
  });

  it('lets unknown keys, no key and routes outside the API through, for the app to answer', async () => {
    for (let i = 0; i < 4; i += 1) {
      expect((await post('/v1/screen', 'not-a-key')).status).toBe(200);
      expect((await post('/v1/screen')).status).toBe(200);
      expect((await post('/health/ready', FLOODER)).status).toBe(200);
    }
    expect(answered).toHaveLength(0);
  });
});

describe('ApiGate: lanes per key', () => {
  let server: Server;
  let url: string;
  /** Requests the app holds, by key, until the test answers them. */
  const held: { token: string; answer: () => void }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const token = /^Bearer (.*)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      req.resume();
      held.push({ token, answer: () => res.end('served') });
    });
    const gate = new ApiGate({
      keyDigests: keyDigestBuffers([FLOODER, NEIGHBOUR].map(digest)),
      buckets: null,
      refusalDelayMs: 0,
      lanes: new KeyLanes(2),
      answered: () => undefined,
    });
    gateHttpServer(server, gate);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const get = (token: string): Promise<Response> =>
    fetch(`${url}/v1/addresses/bitcoin/x`, { headers: { authorization: `Bearer ${token}` } });
  const heldOf = (token: string): number => held.filter((h) => h.token === token).length;
  const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 100));

  it("holds a key's requests past its lanes back, without holding another key's", async () => {
    const flood = Array.from({ length: 5 }, () => get(FLOODER));
    await settle();
    expect(heldOf(FLOODER)).toBe(2);

    const calm = get(NEIGHBOUR);
    await settle();
    expect(heldOf(NEIGHBOUR)).toBe(1);
    held.find((h) => h.token === NEIGHBOUR)?.answer();
    expect((await calm).status).toBe(200);

    // Each answered request lets the next one in its key's line start, in order.
    for (let done = 0; done < 5; done += 1) {
      held.find((h) => h.token === FLOODER)?.answer();
      held.splice(
        held.findIndex((h) => h.token === FLOODER),
        1,
      );
      await settle();
      expect(heldOf(FLOODER)).toBe(Math.min(2, 5 - done - 1));
    }
    expect((await Promise.all(flood)).map((r) => r.status)).toEqual(Array(5).fill(200));
  });
});
