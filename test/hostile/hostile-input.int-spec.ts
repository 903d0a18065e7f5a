import { join } from 'node:path';
import type { Producer } from 'kafkajs';
import type { Alert, TopicNames } from '@sekimori/contracts';
import { uniqueSuffix, waitFor } from '../support/env';
import { loadListWithCli } from '../support/fixtures';
import {
  createTopics,
  deleteTopics,
  freshTopics,
  kafka,
  TopicCollector,
  topicEnv,
} from '../support/kafka';
import { dropPrefix, freshPrefix, redisClient } from '../support/redis';
import { ROOT, ScreenerProcess } from '../support/screener-process';
import { httpGet, httpPortOf, metricValue } from '../health/http-probe';
import { type BadMessage, buildCorpus, type GoodEvent, type InputTopic } from './corpus';

jest.setTimeout(300_000);

const SEED = 20260315;
const PARTITIONS = 3;
const MAX_MESSAGE_BYTES = 65_536;
// Keeps every produce request's record batch for one partition well under the broker's
// message.max.bytes (1 MiB by default).
const CHUNK_BYTES = 600_000;
const EXCERPT = join(ROOT, 'test', 'fixtures', 'lists', 'ok', 'sdn-advanced-excerpt.xml');

type Item = ({ kind: 'bad' } & BadMessage) | ({ kind: 'good' } & GoodEvent);

interface Placed {
  item: Item;
  topic: string;
  partition: number;
  offset: string;
}

/** mulberry32: a small seeded PRNG, so the interleaving is the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], seed: number): T[] {
  const random = prng(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Produces in order, partition chosen per message, and returns where each message landed. */
async function produceAll(producer: Producer, topic: string, items: Item[]): Promise<Placed[]> {
  const placed: Placed[] = [];
  let chunk: Array<{ item: Item; partition: number }> = [];
  let bytes = 0;
  const flush = async () => {
    if (chunk.length === 0) return;
    const sent = await producer.send({
      topic,
      acks: -1,
      messages: chunk.map(({ item, partition }) => ({
        partition,
        key: item.key,
        value: item.value,
      })),
    });
    const base = new Map(sent.map((r) => [r.partition, BigInt(r.baseOffset ?? '0')]));
    const seen = new Map<number, bigint>();
    for (const { item, partition } of chunk) {
      const index = seen.get(partition) ?? 0n;
      seen.set(partition, index + 1n);
      placed.push({ item, topic, partition, offset: (base.get(partition)! + index).toString() });
    }
    chunk = [];
    bytes = 0;
  };
  for (const [i, item] of items.entries()) {
    const size = item.value?.length ?? 0;
    if (bytes + size > CHUNK_BYTES) await flush();
    chunk.push({ item, partition: i % PARTITIONS });
    bytes += size;
  }
  await flush();
  return placed;
}

describe('hostile input on the real broker and Redis', () => {
  const redis = redisClient();
  const prefix = freshPrefix();
  let topics: TopicNames;
  let screener: ScreenerProcess | null = null;
  let producer: Producer | null = null;
  const collectors: TopicCollector[] = [];

  beforeAll(async () => {
    await loadListWithCli(prefix, EXCERPT);
    topics = freshTopics();
    await createTopics(topics, PARTITIONS);
  });

  afterAll(async () => {
    await screener?.stop('SIGTERM');
    await producer?.disconnect();
    await Promise.all(collectors.map((c) => c.stop()));
    await deleteTopics(topics);
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it('dead-letters every malformed message with its code and bytes, screens every good event once, and keeps running', async () => {
    const { bad, good } = buildCorpus(SEED);
    expect(bad.length).toBeGreaterThanOrEqual(500);

    const alerts = await new TopicCollector(topics.alerts).start();
    const dlq = await new TopicCollector(topics.deadLetters).start();
    collectors.push(alerts, dlq);
    const groupId = `hostile-${uniqueSuffix()}`;
    screener = await ScreenerProcess.start({
      ...topicEnv(topics),
      REDIS_KEY_PREFIX: prefix,
      KAFKA_GROUP_ID: groupId,
      MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES),
    });
    const port = await httpPortOf(screener);

    const items: Item[] = shuffle(
      [
        ...bad.map((b) => ({ kind: 'bad' as const, ...b })),
        ...good.map((g) => ({ kind: 'good' as const, ...g })),
      ],
      SEED,
    );
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const topicOf: Record<InputTopic, string> = {
      onchain: topics.onchain,
      exchange: topics.exchange,
    };
    const placed = [
      ...(await produceAll(
        producer,
        topicOf.onchain,
        items.filter((i) => i.topic === 'onchain'),
      )),
      ...(await produceAll(
        producer,
        topicOf.exchange,
        items.filter((i) => i.topic === 'exchange'),
      )),
    ];
    expect(placed).toHaveLength(items.length);

    // Settled when the group has committed every input partition to its end (offsets move only
    // after a batch's output is acknowledged) and the collectors have read both outputs to theirs.
    const admin = kafka.admin();
    await admin.connect();
    try {
      const ends = new Map<string, string>();
      for (const topic of [topics.onchain, topics.exchange]) {
        for (const p of await admin.fetchTopicOffsets(topic))
          ends.set(`${topic}:${p.partition}`, p.high);
      }
      await waitFor(
        'the screener to commit every input partition to its end',
        async () => {
          const committed = await admin.fetchOffsets({
            groupId,
            topics: [topics.onchain, topics.exchange],
          });
          return committed.every((t) =>
            t.partitions.every((p) => p.offset === ends.get(`${t.topic}:${p.partition}`)),
          );
        },
        180_000,
        250,
      );
      for (const [topic, collector] of [
        [topics.alerts, alerts],
        [topics.deadLetters, dlq],
      ] as const) {
        const total = (await admin.fetchTopicOffsets(topic)).reduce(
          (n, p) => n + Number(p.high),
          0,
        );
        await collector.waitForCount(total, 60_000);
      }
    } finally {
      await admin.disconnect();
    }

    // Every malformed message: in the dead-letter topic once, with its code, key and bytes.
    const letters = new Map<string, (typeof dlq.messages)[number][]>();
    for (const letter of dlq.messages) {
      const at = `${letter.headers['dlq-source-topic']}:${letter.headers['dlq-source-partition']}:${letter.headers['dlq-source-offset']}`;
      letters.set(at, [...(letters.get(at) ?? []), letter]);
    }
    const problems: string[] = [];
    for (const p of placed.filter((x) => x.item.kind === 'bad')) {
      const item = p.item as BadMessage;
      const found = letters.get(`${p.topic}:${p.partition}:${p.offset}`) ?? [];
      const preview = (item.value ?? Buffer.alloc(0)).subarray(0, 120).toString('utf8');
      if (found.length !== 1) {
        problems.push(
          `${item.category} (${item.code}) dead-lettered ${found.length} times: ${preview}`,
        );
        continue;
      }
      const [letter] = found;
      if (letter.headers['dlq-error-code'] !== item.code) {
        problems.push(
          `${item.category}: code ${letter.headers['dlq-error-code']} (${letter.headers['dlq-error-detail']}), expected ${item.code}: ${preview}`,
        );
      }
      if (!(letter.value ?? Buffer.alloc(0)).equals(item.value ?? Buffer.alloc(0))) {
        problems.push(`${item.category}: dead letter bytes differ from the original`);
      }
      if (letter.key !== item.key)
        problems.push(`${item.category}: key ${letter.key}, sent ${item.key}`);
      if (!(letter.headers['dlq-error-detail']?.length > 0)) {
        problems.push(`${item.category}: no dlq-error-detail`);
      }
    }
    expect(problems).toEqual([]);

    // Every good event: screened, its expected alert present exactly once, and not dead-lettered.
    const alertsByEvent = new Map<string, Alert[]>();
    for (const alert of alerts.json<Alert>()) {
      alertsByEvent.set(alert.eventId, [...(alertsByEvent.get(alert.eventId) ?? []), alert]);
    }
    for (const p of placed.filter((x) => x.item.kind === 'good')) {
      const item = p.item as GoodEvent;
      const got = (alertsByEvent.get(item.eventId) ?? []).map((a) => a.ruleId);
      const want = item.expectedRule ? [item.expectedRule] : [];
      if (JSON.stringify(got) !== JSON.stringify(want)) {
        problems.push(
          `good event ${item.eventId}: alerts ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`,
        );
      }
      if (letters.has(`${p.topic}:${p.partition}:${p.offset}`)) {
        problems.push(`good event ${item.eventId} was dead-lettered`);
      }
    }
    expect(problems).toEqual([]);

    // Nothing else came out: no stray alert, no stray or duplicate dead letter.
    const knownEvents = new Set(
      placed.filter((x) => x.item.kind !== 'bad').map((x) => (x.item as GoodEvent).eventId),
    );
    expect([...alertsByEvent.keys()].filter((id) => !knownEvents.has(id))).toEqual([]);
    expect(dlq.messages).toHaveLength(bad.length);

    // Still running, never held a batch or crashed, ready, and its metrics agree.
    expect(screener.running).toBe(true);
    const ready = await httpGet<{ status: string }>(port, '/health/ready');
    expect(ready.status).toBe(200);
    expect(screener.logsWith('batch held, will retry')).toEqual([]);
    expect(screener.logsWith('consumer crashed')).toEqual([]);
    expect(screener.logs.filter((l) => typeof l.level === 'number' && l.level >= 50)).toEqual([]);
    expect(screener.stderr.join('')).toBe('');
    const metrics = (await httpGet(port, '/metrics')).text;
    const byCode = new Map<string, number>();
    for (const letter of dlq.messages) {
      const code = letter.headers['dlq-error-code'];
      byCode.set(code, (byCode.get(code) ?? 0) + 1);
    }
    for (const [code, count] of byCode) {
      expect({
        code,
        count: metricValue(metrics, 'sekimori_dead_letters_total', { code }),
      }).toEqual({
        code,
        count,
      });
    }
    expect(
      (metricValue(metrics, 'sekimori_events_in_total', { topic: topics.onchain }) ?? 0) +
        (metricValue(metrics, 'sekimori_events_in_total', { topic: topics.exchange }) ?? 0),
    ).toBe(items.length);

    process.stdout.write(
      `hostile corpus: ${bad.length} malformed, ${good.length} good; ` +
        `${dlq.messages.length} dead letters, ${alerts.messages.length} alerts\n`,
    );
  });
});
