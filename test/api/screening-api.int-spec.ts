import { createHash } from 'node:crypto';
import { keysMatching, type RedisClient } from '@sekimori/redis';
import type { Alert, Decision, TopicNames } from '@sekimori/contracts';
import { RatesStore } from '@sekimori/screening-redis';
import { waitFor } from '../support/env';
import { exchangeTransfer, json, loadListWithCli, onchainTransfer } from '../support/fixtures';
import {
  createTopics,
  deleteTopics,
  disconnectProducer,
  freshTopics,
  produce,
  TopicCollector,
  topicEnv,
} from '../support/kafka';
import { IsolatedRedis } from '../support/isolated';
import { publishList, excerptList } from '../support/lists';
import { dropPrefix, freshPrefix, redisClient } from '../support/redis';
import { ScreenerProcess } from '../support/screener-process';
import { httpPortOf } from '../health/http-probe';
import { buildCorpus } from '../hostile/corpus';

jest.setTimeout(240_000);

const TOKEN = 'test-token-for-the-screening-api';
const DIGEST = createHash('sha256').update(TOKEN).digest('hex');
const GARANTEX_ETH = '0x7FF9cFad3877F21d41Da833E2F775dB0569eE3D9';
const LAZARUS_ETH = '0x098B716B8Aaf21512996dC57EB0615e2383E2f96';
const MAX_MESSAGE_BYTES = 65_536;

interface Reply<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

async function call<T = Record<string, unknown>>(
  port: number,
  method: 'GET' | 'POST',
  path: string,
  body?: Buffer | string | null,
  token: string | null = TOKEN,
): Promise<Reply<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers,
    body: body ?? undefined,
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: JSON.parse(text) as T };
}

const screen = (port: number, event: unknown, token: string | null = TOKEN) =>
  call<{ decision: Decision; alerts: Alert[]; listVersion: string }>(
    port,
    'POST',
    '/v1/screen',
    typeof event === 'string' || Buffer.isBuffer(event) ? event : JSON.stringify(event),
    token,
  );

/** Every key under the prefix with its type, TTL-less value and a digest of it. */
async function snapshot(redis: RedisClient, prefix: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const key of await keysMatching(redis, `*${prefix}*`)) {
    const dumped = await redis.dump(key);
    out.set(key, dumped === null ? 'gone' : createHash('sha1').update(dumped).digest('hex'));
  }
  return out;
}

describe('screening API on the real Redis, with the real OFAC list', () => {
  const redis = redisClient();
  const prefix = freshPrefix();
  let topics: TopicNames;
  let screener: ScreenerProcess;
  let port: number;

  beforeAll(async () => {
    await loadListWithCli(prefix);
    topics = freshTopics();
    await createTopics(topics);
    screener = await ScreenerProcess.start({
      ...topicEnv(topics),
      REDIS_KEY_PREFIX: prefix,
      REQUIRED_LISTS: 'ofac-sdn',
      SCREENING_API_KEYS: DIGEST,
      MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES),
      // One client sends the whole hostile corpus here; the limit has its own test (api-abuse).
      API_RATE_LIMIT_PER_SECOND: '0',
    });
    port = await httpPortOf(screener);
  });

  afterAll(async () => {
    await screener?.stop('SIGTERM');
    await deleteTopics(topics);
    await disconnectProducer();
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it('answers block for a withdrawal to Garantex and pass for a clean one', async () => {
    const listed = await screen(
      port,
      exchangeTransfer({ chain: 'ethereum', asset: 'USDT', address: GARANTEX_ETH }),
    );
    expect(listed.status).toBe(200);
    expect(listed.body.decision).toMatchObject({
      type: 'decision',
      decision: 'block',
      ruleIds: ['SANCTIONS_ADDRESS_MATCH'],
      retroactive: false,
    });
    expect(listed.body.alerts[0].matches[0].entityName).toMatch(/GARANTEX/);
    expect(listed.body.decision.alertIds).toEqual(listed.body.alerts.map((a) => a.alertId));
    expect(listed.body.listVersion).toMatch(/^ofac-sdn:[0-9a-f]+$/);

    const clean = await screen(port, exchangeTransfer());
    expect(clean.status).toBe(200);
    expect(clean.body.decision).toMatchObject({ decision: 'pass', ruleIds: [], alertIds: [] });
    expect(clean.body.alerts).toEqual([]);
  });

  it('looks one address up, in any legal spelling, and answers an empty list for a clean one', async () => {
    const hit = await call<{ address: string; matches: Array<{ entityName: string }> }>(
      port,
      'GET',
      `/v1/addresses/bsc/${GARANTEX_ETH.toLowerCase()}`,
    );
    expect(hit.status).toBe(200);
    expect(hit.body.matches.map((m) => m.entityName)).toEqual(['GARANTEX EUROPE OU']);
    const clean = await call<{ matches: unknown[] }>(
      port,
      'GET',
      '/v1/addresses/bitcoin/1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa',
    );
    expect(clean).toMatchObject({ status: 200, body: { matches: [] } });
    const bad = await call(port, 'GET', '/v1/addresses/bitcoin/not-an-address');
    expect(bad).toMatchObject({
      status: 400,
      body: { code: 'INVALID_ADDRESS', fields: ['address'] },
    });
    const chain = await call(
      port,
      'GET',
      '/v1/addresses/dogecoin/DH5yaieqoZN36fDVciNyRueRGvGLR3mr7L',
    );
    expect(chain).toMatchObject({
      status: 400,
      body: { code: 'UNSUPPORTED_CHAIN', fields: ['chain'] },
    });
  });

  it('refuses a request without a valid key (401), and never echoes the token', async () => {
    // (fetch trims header values, so a token with trailing blanks cannot be sent from here)
    for (const token of [null, '', 'wrong-token', `${TOKEN}x`, TOKEN.slice(1), DIGEST]) {
      const reply = await screen(port, exchangeTransfer(), token);
      expect(reply.status).toBe(401);
      expect(JSON.stringify(reply.body)).not.toContain(TOKEN);
    }
    const basic = await fetch(`http://127.0.0.1:${port}/v1/screen`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` },
      body: JSON.stringify(exchangeTransfer()),
    });
    expect(basic.status).toBe(401);
    expect(screener.logs.map((l) => JSON.stringify(l)).join('\n')).not.toContain(TOKEN);
  });

  it('answers 400 with the dead-letter code and the field paths, and 413 over the size limit', async () => {
    const cases: Array<[unknown, string, string[]]> = [
      ['not json', 'INVALID_JSON', []],
      ['[1,2]', 'SCHEMA_VIOLATION', []],
      [{ type: 'rate', asset: 'BTC' }, 'SCHEMA_VIOLATION', ['type']],
      [exchangeTransfer({ exchangeId: undefined }), 'SCHEMA_VIOLATION', ['exchangeId']],
      [
        exchangeTransfer({ counterparty: { walletType: 'hosted', vaspCountry: 'XX' } }),
        'SCHEMA_VIOLATION',
        ['counterparty.vaspCountry'],
      ],
      [
        exchangeTransfer({ occurredAt: '2026-02-30T00:00:00Z' }),
        'SCHEMA_VIOLATION',
        ['occurredAt'],
      ],
      [onchainTransfer({ chain: 'dogecoin' }), 'UNSUPPORTED_CHAIN', ['chain']],
      [
        onchainTransfer({ from: ['0x00000000219ab540356cbb839cbe05303d7705fa', '0x123'] }),
        'INVALID_ADDRESS',
        ['from[1]'],
      ],
    ];
    for (const [event, code, fields] of cases) {
      const reply = await screen(port, event);
      expect({ event, status: reply.status, body: reply.body }).toMatchObject({
        status: 400,
        body: { statusCode: 400, code, fields: expect.arrayContaining(fields) },
      });
    }
    const big = await screen(port, Buffer.alloc(MAX_MESSAGE_BYTES + 1, 0x20));
    expect(big).toMatchObject({ status: 413, body: { code: 'TOO_LARGE' } });
  });

  it('gives the hostile corpus, sent as request bodies, only 400s (413 for the oversized)', async () => {
    const { bad } = buildCorpus(20261130);
    // The API has no topic: an event of the other kind is a good request there. Nor has it a
    // tombstone (a null Kafka value): its nearest, an empty body, is the 'empty value' case.
    const requests = bad.filter((b) => b.category !== 'wrong topic' && b.category !== 'tombstone');
    const statuses = new Map<string, number>();
    for (const item of requests) {
      const reply = await call(port, 'POST', '/v1/screen', item.value ?? Buffer.alloc(0));
      const expected = item.code === 'TOO_LARGE' ? 413 : 400;
      if (reply.status !== expected || reply.body.code !== item.code) {
        throw new Error(
          `${item.category}: ${reply.status} ${JSON.stringify(reply.body)}; expected ${expected} ${item.code}`,
        );
      }
      statuses.set(String(reply.status), (statuses.get(String(reply.status)) ?? 0) + 1);
    }
    expect(requests.length).toBeGreaterThan(100);
    expect([...statuses.keys()].sort()).toEqual(['400', '413']);
    expect(screener.running).toBe(true);
  });

  it('is read-only: screening through the API changes no Redis key', async () => {
    await new RatesStore(redis, prefix).putMany([
      { type: 'rate', asset: 'BTC', jpy: '15000000', at: '2026-03-15T09:00:00Z' },
    ]);
    const before = await snapshot(redis, prefix);
    const events = [
      // cross-border without a value: a rate is read (and would be pinned by the stream)
      exchangeTransfer({
        valueJpy: undefined,
        counterparty: { walletType: 'hosted', vaspCountry: 'SG' },
      }),
      // cross-border under the threshold: a structuring window is read (and would be counted)
      exchangeTransfer({
        valueJpy: '29000000',
        counterparty: { walletType: 'hosted', vaspCountry: 'SG' },
      }),
      // a listed sender: the recipient would be recorded as exposed
      onchainTransfer({ from: [LAZARUS_ETH], to: '0x52908400098527886E0F7030069857D2E4169EE7' }),
      onchainTransfer({ to: GARANTEX_ETH }),
    ];
    for (const event of events) expect((await screen(port, event)).status).toBe(200);
    const after = await snapshot(redis, prefix);
    expect([...after]).toEqual([...before]);
    expect(after.size).toBeGreaterThan(0);
  });

  it('gives the same decision as the stream for the same events', async () => {
    const account = { id: `acct-agree-${Date.now()}`, residency: 'JP', kind: 'individual' };
    const events = [
      onchainTransfer({ to: GARANTEX_ETH }),
      onchainTransfer(),
      exchangeTransfer({
        account,
        valueJpy: '45000000',
        counterparty: { walletType: 'hosted', vaspCountry: 'SG' },
      }),
      exchangeTransfer({
        account,
        valueJpy: '20000000',
        counterparty: { walletType: 'hosted', vaspCountry: 'SG' },
      }),
      exchangeTransfer({
        account,
        valueJpy: '20000000',
        counterparty: { walletType: 'hosted', vaspCountry: 'SG' },
      }),
      exchangeTransfer({ counterparty: { walletType: 'hosted', vaspCountry: 'RU' } }),
    ];
    const decisions = await new TopicCollector(topics.decisions).start();
    try {
      for (const event of events) {
        const topic = event.type === 'onchain-transfer' ? topics.onchain : topics.exchange;
        const key = event.type === 'onchain-transfer' ? String(event.eventId) : account.id;
        await produce(topic, [{ key, value: json(event) }]);
      }
      const ids = events.map((e) => String(e.eventId));
      const streamed = await waitFor(
        'a decision for every event on the stream',
        () => {
          const seen = new Map(decisions.json<Decision>().map((d) => [d.eventId, d]));
          return ids.every((id) => seen.has(id)) ? seen : undefined;
        },
        60_000,
      );
      const levels = new Set<string>();
      for (const event of events) {
        const api = await screen(port, event);
        const stream = streamed.get(String(event.eventId)) as Decision;
        expect(api.status).toBe(200);
        expect({
          decision: api.body.decision.decision,
          ruleIds: api.body.decision.ruleIds,
          alertIds: api.body.decision.alertIds,
        }).toEqual({
          decision: stream.decision,
          ruleIds: stream.ruleIds,
          alertIds: stream.alertIds,
        });
        levels.add(stream.decision);
      }
      // The events cover more than one answer, structuring included.
      expect([...levels].sort()).toEqual(['block', 'hold', 'pass', 'report', 'review']);
    } finally {
      await decisions.stop();
    }
  });
});

describe('screening API when screening is unavailable', () => {
  it('answers 503 with Retry-After while Redis is down, and while a required list is missing', async () => {
    const isolated = await IsolatedRedis.start();
    const prefix = freshPrefix();
    const topics = freshTopics();
    await createTopics(topics, 1);
    await publishList(isolated.url, prefix, await excerptList());
    const screener = await ScreenerProcess.start({
      ...topicEnv(topics),
      REDIS_URL: isolated.url,
      REDIS_KEY_PREFIX: prefix,
      REQUIRED_LISTS: 'ofac-sdn',
      SCREENING_API_KEYS: DIGEST,
    });
    const missing = await ScreenerProcess.start({
      ...topicEnv(topics),
      REDIS_URL: isolated.url,
      REDIS_KEY_PREFIX: prefix,
      REQUIRED_LISTS: 'ofac-sdn,jp-mof',
      SCREENING_API_KEYS: DIGEST,
      KAFKA_GROUP_ID: `missing-${prefix}`,
    });
    try {
      const port = await httpPortOf(screener);
      expect(
        (await screen(port, onchainTransfer({ to: GARANTEX_ETH }))).body.decision,
      ).toMatchObject({ decision: 'block' });

      const noList = await screen(await httpPortOf(missing), onchainTransfer());
      expect(noList.status).toBe(503);
      expect(noList.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(noList.body).toMatchObject({ code: 'LIST_MISSING' });
      expect(JSON.stringify(noList.body)).toContain('jp-mof');

      await isolated.stop();
      for (const event of [onchainTransfer(), onchainTransfer({ to: GARANTEX_ETH })]) {
        const down = await screen(port, event);
        expect(down.status).toBe(503);
        expect(down.headers.get('retry-after')).toMatch(/^\d+$/);
        expect(down.body).toMatchObject({ code: 'REDIS_UNAVAILABLE' });
      }
      const address = await call(port, 'GET', `/v1/addresses/ethereum/${GARANTEX_ETH}`);
      expect(address.status).toBe(503);
    } finally {
      await screener.stop('SIGTERM');
      await missing.stop('SIGTERM');
      await deleteTopics(topics);
    }
  });
});
