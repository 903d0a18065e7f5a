import type { Decision } from '@sekimori/contracts';
import { createTopicsAndWait } from '@sekimori/kafka';
import { kafkaEnv, uniqueSuffix, waitFor } from '../support/env';
import {
  exchangeTransfer,
  json,
  OFAC_FILE,
  loadListWithCli,
  onchainTransfer,
} from '../support/fixtures';
import { type JavaRecord, produceWithJava } from '../support/java-producer';
import { deleteTopics, freshTopics, kafka, TopicCollector, topicEnv } from '../support/kafka';
import { dropPrefix, freshPrefix, redisClient } from '../support/redis';
import { ScreenerProcess } from '../support/screener-process';

jest.setTimeout(240_000);

const GARANTEX_ETH = '0x7FF9cFad3877F21d41Da833E2F775dB0569eE3D9';
const MAX_MESSAGE_BYTES = 65_536;
// Above the Java producer's default max.request.size (1 MiB): a producer that raised it, on a
// topic that allows it. The dead-letter topic must allow as much, or the record cannot move.
const LARGE_RECORD_BYTES = 1_500_000;
const TOPIC_MAX_BYTES = String(4 << 20);
// Not UTF-8: a tracing id or a schema-registry prefix as producers send them.
const BINARY = Buffer.from([0xff, 0x00, 0xfe, 0x80, 0x7f]);

/** A valid event padded with spaces past the size limit: its eventId can still be read. */
function oversized(event: Record<string, unknown>): Buffer {
  const text = JSON.stringify(event);
  return Buffer.from(`${text.slice(0, -1)}${' '.repeat(LARGE_RECORD_BYTES - text.length)}}`);
}

interface Case {
  name: string;
  record: JavaRecord;
  /** The dead-letter code, or none when the event is screened. */
  code?: string;
  /** The decision on decisions.v1, when an eventId can be read. */
  decision?: string;
  eventId?: string;
}

describe('records as other producers write them, produced by the Java client', () => {
  const redis = redisClient();
  const prefix = freshPrefix();
  const topics = freshTopics();
  let screener: ScreenerProcess | null = null;
  const collectors: TopicCollector[] = [];

  beforeAll(async () => {
    await loadListWithCli(prefix, OFAC_FILE);
    const admin = kafka.admin();
    await admin.connect();
    try {
      const big = { 'max.message.bytes': TOPIC_MAX_BYTES };
      await createTopicsAndWait(admin, Object.values(topics), 3, undefined, {
        [topics.onchain]: big,
        [topics.deadLetters]: big,
      });
    } finally {
      await admin.disconnect();
    }
  });

  afterAll(async () => {
    await screener?.stop('SIGTERM');
    await Promise.all(collectors.map((c) => c.stop()));
    await deleteTopics(topics);
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it('dead-letters tombstones and oversized records with their codes, keeps null keys and binary headers, and holds what it cannot screen', async () => {
    const decisions = await new TopicCollector(topics.decisions).start();
    const dlq = await new TopicCollector(topics.deadLetters).start();
    collectors.push(decisions, dlq);
    screener = await ScreenerProcess.start({
      ...topicEnv(topics),
      REDIS_KEY_PREFIX: prefix,
      KAFKA_GROUP_ID: `other-producers-${uniqueSuffix()}`,
      MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES),
      REQUIRED_LISTS: 'ofac-sdn',
    });

    const pass = onchainTransfer();
    const block = onchainTransfer({ to: GARANTEX_ETH });
    const exchange = exchangeTransfer();
    const badAddress = onchainTransfer({ to: '0x123' });
    const large = onchainTransfer();
    const cases: Case[] = [
      {
        name: 'a tombstone',
        record: {
          topic: topics.onchain,
          key: 'deleted-key',
          value: null,
          headers: { trace: BINARY },
        },
        code: 'EMPTY_VALUE',
      },
      {
        name: 'a tombstone without a key',
        record: { topic: topics.exchange, key: null, value: null },
        code: 'EMPTY_VALUE',
      },
      {
        name: 'a null key on an event that passes',
        record: { topic: topics.onchain, key: null, value: json(pass) },
        decision: 'pass',
        eventId: String(pass.eventId),
      },
      {
        name: 'a null key on an event that must block',
        record: {
          topic: topics.onchain,
          key: null,
          value: json(block),
          headers: { trace: BINARY },
        },
        decision: 'block',
        eventId: String(block.eventId),
      },
      {
        name: 'binary header values on an exchange event',
        record: {
          topic: topics.exchange,
          key: (exchange.account as { id: string }).id,
          value: json(exchange),
          headers: { trace: BINARY, 'content-type': 'application/json' },
        },
        decision: 'pass',
        eventId: String(exchange.eventId),
      },
      {
        name: 'an invalid event with a null key and a binary header',
        record: {
          topic: topics.onchain,
          key: null,
          value: json(badAddress),
          headers: { trace: BINARY, hop: [BINARY, Buffer.from([0x01, 0x02])] },
        },
        code: 'INVALID_ADDRESS',
        decision: 'hold',
        eventId: String(badAddress.eventId),
      },
      {
        name: 'a record over MAX_MESSAGE_BYTES and the default max.request.size',
        record: {
          topic: topics.onchain,
          key: null,
          value: oversized(large),
          headers: { trace: BINARY },
        },
        code: 'TOO_LARGE',
        decision: 'hold',
        eventId: String(large.eventId),
      },
    ];
    const placed = await produceWithJava(
      kafkaEnv(),
      cases.map((c) => c.record),
      { compression: 'lz4', maxRequestSize: 4 << 20 },
    );
    expect(placed).toHaveLength(cases.length);

    const letters = cases.filter((c) => c.code !== undefined);
    const decided = cases.filter((c) => c.decision !== undefined);
    await dlq.waitForCount(letters.length, 120_000);
    await waitFor(
      `${decided.length} decisions`,
      () => decisions.messages.length >= decided.length,
      120_000,
    );

    const problems: string[] = [];
    for (const [i, c] of cases.entries()) {
      const at = placed[i];
      const found = dlq.messages.filter(
        (m) =>
          m.headers['dlq-source-topic'] === c.record.topic &&
          m.headers['dlq-source-partition'] === String(at.partition) &&
          m.headers['dlq-source-offset'] === at.offset,
      );
      if (c.code === undefined) {
        if (found.length > 0) problems.push(`${c.name}: dead-lettered`);
        continue;
      }
      if (found.length !== 1) {
        problems.push(`${c.name}: ${found.length} dead letters`);
        continue;
      }
      const [letter] = found;
      if (letter.headers['dlq-error-code'] !== c.code) {
        problems.push(`${c.name}: code ${letter.headers['dlq-error-code']}, expected ${c.code}`);
      }
      const key = c.record.key === null ? null : Buffer.from(c.record.key).toString('utf8');
      if (letter.key !== key) problems.push(`${c.name}: key ${letter.key}, sent ${key}`);
      const sent = c.record.value === null ? Buffer.alloc(0) : Buffer.from(c.record.value);
      if (!(letter.value ?? Buffer.alloc(0)).equals(sent)) {
        problems.push(`${c.name}: dead letter bytes differ from the original`);
      }
      for (const [name, value] of Object.entries(c.record.headers ?? {})) {
        const sentValues = (Array.isArray(value) ? value : [value]).map((v) => Buffer.from(v));
        const got = letter.rawHeaders[name];
        const gotValues = got === undefined ? [] : Array.isArray(got) ? got : [got];
        const same =
          gotValues.length === sentValues.length &&
          gotValues.every((v, k) => v.equals(sentValues[k]));
        if (!same) problems.push(`${c.name}: header ${name} changed`);
      }
    }
    const byId = new Map(decisions.json<Decision>().map((d) => [d.eventId, d]));
    for (const c of decided) {
      const got = byId.get(c.eventId!);
      if (got?.decision !== c.decision) {
        problems.push(`${c.name}: decision ${got?.decision}, expected ${c.decision}`);
      }
      if (c.code !== undefined && got?.unscreenable !== c.code) {
        problems.push(`${c.name}: unscreenable ${got?.unscreenable}, expected ${c.code}`);
      }
    }
    expect(problems).toEqual([]);
    expect(dlq.messages).toHaveLength(letters.length);
    expect(decisions.messages).toHaveLength(decided.length);

    // Nothing held or crashed: every case was decided in its first pass.
    expect(screener.running).toBe(true);
    expect(screener.logsWith('batch held, will retry')).toEqual([]);
    expect(screener.logsWith('consumer crashed')).toEqual([]);
  });
});
