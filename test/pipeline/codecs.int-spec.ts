import { CompressionTypes } from 'kafkajs';
import type { Decision } from '@sekimori/contracts';
import { kafkaEnv, waitFor } from '../support/env';
import { join } from 'node:path';
import { exchangeTransfer, json, loadListWithCli, onchainTransfer } from '../support/fixtures';
import { type JavaCompression, produceWithJava } from '../support/java-producer';
import { kafka } from '../support/kafka';
import { readCommittedWithJava } from '../support/read-committed';
import { dropPrefix, freshPrefix, redisClient } from '../support/redis';
import { screenerFixture } from '../support/screener-fixture';
import { ROOT } from '../support/screener-process';

jest.setTimeout(240_000);

const GARANTEX_ETH = '0x7FF9cFad3877F21d41Da833E2F775dB0569eE3D9';
const EXCERPT = join(ROOT, 'test', 'fixtures', 'lists', 'ok', 'sdn-advanced-excerpt.xml');

const KAFKAJS_TYPES: Record<Exclude<JavaCompression, 'none'>, CompressionTypes> = {
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
};

type Expected = [event: Record<string, unknown>, decision: string];

function mixedEvents(rounds: number): Expected[] {
  const events: Expected[] = [];
  for (let i = 0; i < rounds; i++) {
    events.push([onchainTransfer(), 'pass']);
    events.push([onchainTransfer({ to: GARANTEX_ETH }), 'block']);
    events.push([exchangeTransfer(), 'pass']);
  }
  return events;
}

describe('compressed input', () => {
  const redis = redisClient();
  const prefix = freshPrefix();

  beforeAll(() => loadListWithCli(prefix, EXCERPT));

  afterAll(async () => {
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  // One topic set, one screener per codec: the input topics hold only that codec's batches.
  describe.each(['gzip', 'snappy', 'lz4', 'zstd'] as const)(
    'input compressed with %s, on the real broker and Redis',
    (codec) => {
      const world = screenerFixture({ per: 'all' });

      it('screens what the Java client and kafkajs write, every record decided', async () => {
        const { topics } = world;
        const decisions = await world.collect(topics.decisions);
        const dlq = await world.collect(topics.deadLetters);
        // The output in the same codec: the Java reader below must read what kafkajs wrote.
        await world.start(prefix, { REQUIRED_LISTS: 'ofac-sdn', KAFKA_COMPRESSION: codec });
        const topicOf = (event: Record<string, unknown>): string =>
          event.type === 'onchain-transfer' ? topics.onchain : topics.exchange;
        const keyOf = (event: Record<string, unknown>): string =>
          event.type === 'onchain-transfer'
            ? String(event.eventId)
            : (event.account as { id: string }).id;

        const fromJava = mixedEvents(20);
        const placed = await produceWithJava(
          kafkaEnv(),
          fromJava.map(([event]) => ({
            topic: topicOf(event),
            key: keyOf(event),
            value: json(event),
          })),
          { compression: codec },
        );
        expect(placed).toHaveLength(fromJava.length);

        // Over 64 KiB in one request: several LZ4 blocks, several snappy chunks, which the broker
        // decompresses to validate.
        const fromKafkajs = mixedEvents(200);
        const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
        await producer.connect();
        try {
          for (const topic of [topics.onchain, topics.exchange]) {
            await producer.send({
              topic,
              acks: -1,
              compression: KAFKAJS_TYPES[codec],
              messages: fromKafkajs
                .filter(([event]) => topicOf(event) === topic)
                .map(([event]) => ({ key: keyOf(event), value: json(event) })),
            });
          }
        } finally {
          await producer.disconnect();
        }

        const expected = [...fromJava, ...fromKafkajs];
        await waitFor(
          `a decision for each of the ${expected.length} ${codec} records`,
          () => new Set(decisions.messages.map((m) => m.key)).size >= expected.length,
          120_000,
        );
        const byId = new Map(decisions.json<Decision>().map((d) => [d.eventId, d.decision]));
        const wrong = expected
          .map(([event, decision]) => [
            String(event.eventId),
            decision,
            byId.get(String(event.eventId)),
          ])
          .filter(([, want, got]) => want !== got);
        expect(wrong).toEqual([]);
        expect(dlq.messages).toEqual([]);
        expect(world.screener?.logsWith('batch held, will retry')).toEqual([]);

        // The decisions, written in this codec, as the Java client reads them.
        const javaRead = await readCommittedWithJava(kafkaEnv(), topics.decisions);
        expect(javaRead?.map((r) => r.value?.toString('utf8')).sort()).toEqual(
          decisions.messages.map((m) => m.value?.toString('utf8')).sort(),
        );
      });
    },
  );
});
