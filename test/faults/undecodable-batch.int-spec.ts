import { execFile } from 'node:child_process';
import { openSync, readFileSync, readSync, writeSync, closeSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CompressionTypes, ConfigResourceTypes } from 'kafkajs';
import { DeadLetterCode, DLQ_HEADERS } from '@sekimori/contracts';
import { registerKafkaCodecs } from '@sekimori/kafka';
import { kafkaEnv, redisEnv, uniqueSuffix, waitFor } from '../support/env';
import { json, onchainTransfer, exchangeTransfer } from '../support/fixtures';
import { kafka, produce, topicEnv } from '../support/kafka';
import { screenerFixture } from '../support/screener-fixture';
import { ROOT, ScreenerProcess } from '../support/screener-process';
import { httpGet, httpPortOf, metricValue } from '../health/http-probe';

jest.setTimeout(240_000);

const EXCERPT = join(ROOT, 'test', 'fixtures', 'lists', 'ok', 'sdn-advanced-excerpt.xml');

interface Readiness {
  status: string;
  reasons: string[];
  details: Record<string, { status: string } & Record<string, unknown>>;
}

/** The broker's log directories, as it reports them (the test's broker runs on this host). */
async function logDirs(): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { brokers } = await admin.describeCluster();
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.BROKER, name: String(brokers[0].nodeId) }],
    });
    const entry = resources[0].configEntries.find((e) => e.configName === 'log.dirs');
    return (entry?.configValue ?? '').split(',').filter((d) => d !== '');
  } finally {
    await admin.disconnect();
  }
}

/**
 * Flips one byte inside the payload of the batch at `baseOffset` in the partition's log segment.
 * The broker serves segment bytes as they are, so a fetch now returns a batch whose CRC and
 * compressed payload no longer match: what a disk or a faulty producer leaves behind.
 */
async function corruptBatch(topic: string, partition: number, baseOffset: bigint): Promise<void> {
  const segment = (await logDirs())
    .map((dir) => join(dir, `${topic}-${partition}`, '00000000000000000000.log'))
    .find((path) => existsSync(path));
  if (!segment) throw new Error(`no log segment of ${topic}-${partition} is readable from here`);
  const bytes = readFileSync(segment);
  for (let at = 0; at + 61 <= bytes.length; at += 12 + bytes.readInt32BE(at + 8)) {
    if (bytes.readBigInt64BE(at) !== baseOffset) continue;
    const fd = openSync(segment, 'r+');
    try {
      const position = at + 61 + 12;
      const one = Buffer.alloc(1);
      readSync(fd, one, 0, 1, position);
      one[0] ^= 0x5a;
      writeSync(fd, one, 0, 1, position);
    } finally {
      closeSync(fd);
    }
    return;
  }
  throw new Error(`no batch at offset ${baseOffset} in ${segment}`);
}

const run = promisify(execFile);

type Transfer = Record<string, unknown>;
const idOf = (e: Transfer) => String(e.eventId);
const events = (n: number): Transfer[] => Array.from({ length: n }, () => onchainTransfer());
const toPartition = (partition: number, list: Transfer[]) =>
  list.map((e) => ({ partition, key: idOf(e), value: json(e) }));

describe('a record batch the screener cannot decode', () => {
  const world = screenerFixture({ partitions: 2 });

  /**
   * On partition 0 of the on-chain topic: 3 transfers, a gzip batch of 3 made corrupt on disk
   * (offsets 3 to 5), 3 more. On partition 1 and on the exchange topic: 3 each, all screenable.
   */
  async function arrange() {
    const { onchain, exchange } = world.topics;
    const s = {
      before: events(3),
      bad: events(3),
      after: events(3),
      elsewhere: events(3),
      onExchange: Array.from({ length: 3 }, () => exchangeTransfer()),
    };
    await produce(onchain, toPartition(0, s.before));
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const [{ baseOffset }] = await producer.send({
      topic: onchain,
      acks: -1,
      compression: CompressionTypes.GZIP,
      messages: toPartition(0, s.bad),
    });
    await producer.disconnect();
    await produce(onchain, toPartition(0, s.after));
    await produce(onchain, toPartition(1, s.elsewhere));
    await produce(
      exchange,
      s.onExchange.map((e) => ({ key: idOf(e), value: json(e) })),
    );
    expect(baseOffset).toBe('3');
    await corruptBatch(onchain, 0, 3n);
    const decided = await world.collect(world.topics.decisions);
    const decidedIds = () => new Set(decided.json<{ eventId: string }>().map((d) => d.eventId));
    return { ...s, decidedIds };
  }

  /** `npm run skip`'s program, with the screener's environment. */
  function skip(group: string, offset: string) {
    return run(
      process.execPath,
      [
        join(ROOT, 'dist', 'apps', 'skip', 'main.js'),
        ...['--topic', world.topics.onchain, '--partition', '0', '--offset', offset],
        ...['--reason', 'corrupt on disk, producer resends (test)'],
      ],
      {
        env: {
          PATH: process.env.PATH ?? '',
          ...kafkaEnv(),
          ...redisEnv(),
          ...topicEnv(world.topics),
          KAFKA_GROUP_ID: group,
        },
      },
    );
  }

  async function stalledReadiness(port: number) {
    return waitFor('readiness naming the stalled partition', async () => {
      const ready = await httpGet<Readiness>(port, '/health/ready');
      return ready.status === 503 && ready.body.details.consumer?.stalled ? ready : false;
    });
  }

  /** Readiness names one stalled partition, partition 0 of the on-chain topic, as `stall` says. */
  async function expectOneStall(port: number, stall: Record<string, unknown>) {
    const stalled = await stalledReadiness(port);
    expect(stalled.body.details.consumer.stalled).toEqual([
      expect.objectContaining({ topic: world.topics.onchain, partition: 0, ...stall }),
    ]);
    return stalled;
  }

  it.each(['at-least-once', 'exactly-once'])(
    '%s: stalls its partition only, says so, and resumes after an operator skips it',
    async (mode) => {
      const prefix = await world.prefixWithList(EXCERPT);
      const { onchain, deadLetters } = world.topics;
      const group = `screener-${uniqueSuffix()}`;
      const { before, bad, after, elsewhere, onExchange, decidedIds } = await arrange();
      const dead = await world.collect(deadLetters);
      const port = await httpPortOf(
        await world.start(prefix, { KAFKA_GROUP_ID: group, DELIVERY_MODE: mode }),
      );

      // Everything but the bad batch and what follows it on its partition is screened.
      const screenable = [...before, ...elsewhere, ...onExchange].map(idOf);
      await waitFor(
        'decisions on the other partitions and topic',
        () => screenable.every((id) => decidedIds().has(id)),
        60_000,
      );
      const stalled = await expectOneStall(port, {
        offset: '3',
        lastOffset: '5',
        reason: expect.stringMatching(/CRC-32C mismatch/),
      });
      expect(stalled.body.reasons.join(' ')).toContain(
        `npm run skip -- --topic ${onchain} --partition 0 --offset 3`,
      );
      expect((await httpGet(port, '/health/live')).status).toBe(200);
      const metrics = (await httpGet<string>(port, '/metrics')).text;
      expect(metricValue(metrics, 'sekimori_stalled_partitions')).toBe(1);
      expect(metricValue(metrics, 'sekimori_undecodable_batches_total', { topic: onchain })).toBe(
        1,
      );

      // Still screening elsewhere while stalled; nothing on or after the bad batch is decided.
      const later = events(2);
      await produce(onchain, toPartition(1, later));
      await waitFor('decisions for events produced during the stall', () =>
        later.every((e) => decidedIds().has(idOf(e))),
      );
      expect([...bad, ...after].filter((e) => decidedIds().has(idOf(e)))).toEqual([]);

      // A batch that decodes is refused: the tool skips only what cannot be screened.
      await expect(skip(group, '0')).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringMatching(/decodes: nothing to skip/),
      });

      const { stdout } = await skip(group, '3');
      expect(stdout).toMatch(/is running: skip ordered/);
      expect(stdout).toMatch(/moved past the batch/);
      await waitFor(
        'decisions for the events after the skipped batch',
        () => after.every((e) => decidedIds().has(idOf(e))),
        60_000,
      );
      expect(bad.filter((e) => decidedIds().has(idOf(e)))).toEqual([]);

      const audit = await waitFor('the audit dead letter', () =>
        dead.messages.find((m) => m.headers[DLQ_HEADERS.code] === DeadLetterCode.UNDECODABLE_BATCH),
      );
      expect(audit.headers).toMatchObject({
        [DLQ_HEADERS.sourceTopic]: onchain,
        [DLQ_HEADERS.sourcePartition]: '0',
        [DLQ_HEADERS.sourceOffset]: '3',
        [DLQ_HEADERS.skippedFirstOffset]: '3',
        [DLQ_HEADERS.skippedLastOffset]: '5',
        [DLQ_HEADERS.skipReason]: 'corrupt on disk, producer resends (test)',
      });
      const ready = await waitFor('readiness after the skip', async () => {
        const reply = await httpGet<Readiness>(port, '/health/ready');
        return reply.status === 200 ? reply : false;
      });
      expect(ready.body.details.consumer).toMatchObject({ status: 'up' });
      const afterSkip = (await httpGet<string>(port, '/metrics')).text;
      expect(metricValue(afterSkip, 'sekimori_stalled_partitions')).toBe(0);
      expect(metricValue(afterSkip, 'sekimori_skipped_batches_total', { topic: onchain })).toBe(1);
    },
  );

  it('through a rebalance the stall stays named by the one screener holding it, which applies the skip', async () => {
    const prefix = await world.prefixWithList(EXCERPT);
    const group = `screener-${uniqueSuffix()}`;
    const { bad, after, decidedIds } = await arrange();
    const env = { ...topicEnv(world.topics), REDIS_KEY_PREFIX: prefix, KAFKA_GROUP_ID: group };
    const first = await ScreenerProcess.start(env);
    try {
      const ports = [await httpPortOf(first)];
      await stalledReadiness(ports[0]);
      ports.push(await httpPortOf(await world.start(prefix, { KAFKA_GROUP_ID: group })));
      const naming = async () => {
        const replies = await Promise.all(
          ports.map((port) => httpGet<Readiness>(port, '/health/ready')),
        );
        return replies.filter((r) => Array.isArray(r.body.details.consumer?.stalled)).length;
      };
      await waitFor(
        'the first screener rejoining the group with the second',
        () => first.logs.filter((l) => l.msg === 'joined consumer group').length >= 2,
        60_000,
      );
      await waitFor(
        'exactly one screener naming the stall after the rebalance',
        async () => (await naming()) === 1,
        60_000,
      );
      const later = events(2);
      await produce(world.topics.onchain, toPartition(1, later));
      await waitFor(
        'decisions during the stall, two screeners in the group',
        () => later.every((e) => decidedIds().has(idOf(e))),
        60_000,
      );

      const { stdout } = await skip(group, '3');
      expect(stdout).toMatch(/moved past the batch/);
      await waitFor(
        'decisions for the events after the skipped batch',
        () => after.every((e) => decidedIds().has(idOf(e))),
        60_000,
      );
      expect(await naming()).toBe(0);
      expect(bad.filter((e) => decidedIds().has(idOf(e)))).toEqual([]);
    } finally {
      await first.stop('SIGTERM');
    }
  });

  it('with no screener running, skip moves the group itself and the next screener starts after the batch', async () => {
    const prefix = await world.prefixWithList(EXCERPT);
    const group = `screener-${uniqueSuffix()}`;
    const { before, bad, after, decidedIds } = await arrange();
    const port = await httpPortOf(await world.start(prefix, { KAFKA_GROUP_ID: group }));
    await stalledReadiness(port);
    await waitFor('decisions before the bad batch', () =>
      before.every((e) => decidedIds().has(idOf(e))),
    );
    await world.screener?.stop('SIGTERM');

    const { stdout } = await skip(group, '3');
    expect(stdout).toMatch(/has no running member: its offset is now 6/);
    await world.start(prefix, { KAFKA_GROUP_ID: group });
    await waitFor(
      'decisions for the events after the skipped batch',
      () => after.every((e) => decidedIds().has(idOf(e))),
      60_000,
    );
    expect(bad.filter((e) => decidedIds().has(idOf(e)))).toEqual([]);
  });

  it('a compressed batch that would expand past 64 MiB (a zstd bomb of a few kilobytes) stalls only its partition, and says why', async () => {
    registerKafkaCodecs();
    const prefix = await world.prefixWithList(EXCERPT);
    const { onchain } = world.topics;
    const before = events(2);
    const after = events(2);
    const elsewhere = events(2);
    await produce(onchain, toPartition(0, before));
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const [{ baseOffset }] = await producer.send({
      topic: onchain,
      acks: -1,
      compression: CompressionTypes.ZSTD,
      messages: [{ partition: 0, key: 'bomb', value: Buffer.alloc(64 * 1024 * 1024 + 1) }],
    });
    await producer.disconnect();
    await produce(onchain, toPartition(0, after));
    await produce(onchain, toPartition(1, elsewhere));
    const decided = await world.collect(world.topics.decisions);
    const decidedIds = () => new Set(decided.json<{ eventId: string }>().map((d) => d.eventId));

    const port = await httpPortOf(
      await world.start(prefix, { KAFKA_GROUP_ID: `screener-${uniqueSuffix()}` }),
    );
    await waitFor(
      'decisions before the bomb and on the other partition',
      () => [...before, ...elsewhere].every((e) => decidedIds().has(idOf(e))),
      60_000,
    );
    await expectOneStall(port, {
      offset: baseOffset,
      reason: expect.stringMatching(/zstd: the record batch expands past 67108864 bytes/),
    });
    expect((await httpGet(port, '/health/live')).status).toBe(200);
    expect(after.filter((e) => decidedIds().has(idOf(e)))).toEqual([]);
  });
});
