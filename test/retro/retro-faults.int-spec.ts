import type { Producer } from 'kafkajs';
import { classifyListedAddress } from '@sekimori/chains';
import type { Alert, TopicNames } from '@sekimori/contracts';
import { createTopicsAndWait } from '@sekimori/kafka';
import { kafkaEnv, testRedisUrl, uniqueSuffix, waitFor } from '../support/env';
import { type DeliveryMode } from '../support/faults';
import { IsolatedRedis } from '../support/isolated';
import { excerptList, excerptListWithAddition, publishList } from '../support/lists';
import { readCommittedWithJava } from '../support/read-committed';
import { freshTopics, kafkaClient, TopicCollector, topicEnv } from '../support/kafka';
import { dropPrefix, freshPrefix, redisClientFor } from '../support/redis';
import { type LogLine, ScreenerProcess } from '../support/screener-process';

jest.setTimeout(300_000);

const EVENTS = 8_000;
/** Every TOUCH_EVERY-th past transfer goes to the address the update lists. */
const TOUCH_EVERY = 20;

function addedAddress(tag: string): string {
  const made = `0x${Buffer.from(tag).toString('hex').padEnd(40, '0').slice(0, 40)}`;
  const listed = classifyListedAddress(made, 'ETH');
  if (!listed) throw new Error('made-up address does not classify');
  return listed.canonical;
}

/** A past stream: every TOUCH_EVERY-th transfer to `target`, the rest between unlisted addresses. */
function pastStream(target: string): Array<{ eventId: string; value: Buffer; touches: boolean }> {
  const tag = uniqueSuffix();
  const blockTime = new Date(Date.now() - 86_400_000).toISOString();
  return Array.from({ length: EVENTS }, (_, n) => {
    const i = n + 1;
    const hex = i.toString(16).padStart(8, '0');
    const touches = i % TOUCH_EVERY === 0;
    const eventId = `retro-${tag}-${i}`;
    const transfer = {
      type: 'onchain-transfer',
      eventId,
      chain: 'ethereum',
      txHash: `0x${hex.padStart(64, 'c')}`,
      index: 0,
      blockTime,
      from: [`0x${hex.padStart(40, 'a')}`],
      to: touches ? target : `0x${hex.padStart(40, 'b')}`,
      asset: 'ETH',
      amount: '1.5',
    };
    return { eventId, value: Buffer.from(JSON.stringify(transfer)), touches };
  });
}

class RetroRun {
  readonly topics: TopicNames = freshTopics();
  readonly prefix = freshPrefix();
  readonly groupId = `retro-fault-${uniqueSuffix()}`;
  readonly tag = `retro-fault-${uniqueSuffix()}`;
  readonly kafka = kafkaClient(kafkaEnv(), { clientId: 'retro-faults' });
  readonly stream = pastStream(addedAddress(this.tag));
  readonly screeners: ScreenerProcess[] = [];
  /** Read uncommitted, to see the first retroactive alerts as early as they are produced. */
  readonly early = new TopicCollector(this.topics.alerts, false);
  readonly alerts = new TopicCollector(this.topics.alerts);
  private producer: Producer | null = null;

  constructor(
    readonly mode: DeliveryMode,
    readonly redisUrl = testRedisUrl(),
  ) {}

  async setUp(): Promise<string> {
    const admin = this.kafka.admin();
    await admin.connect();
    await createTopicsAndWait(admin, Object.values(this.topics), 3);
    await admin.disconnect();
    await this.early.start();
    await this.alerts.start();
    return publishList(this.redisUrl, this.prefix, await excerptList());
  }

  async start(): Promise<ScreenerProcess> {
    const screener = await ScreenerProcess.start({
      ...topicEnv(this.topics),
      REDIS_URL: this.redisUrl,
      REDIS_KEY_PREFIX: this.prefix,
      REQUIRED_LISTS: 'ofac-sdn',
      KAFKA_GROUP_ID: this.groupId,
      KAFKA_TRANSACTIONAL_ID_PREFIX: this.groupId,
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      DELIVERY_MODE: this.mode,
      RETRO_CHECK_INTERVAL_MS: '200',
    });
    this.screeners.push(screener);
    return screener;
  }

  async producePast(): Promise<void> {
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
    for (let i = 0; i < this.stream.length; i += 500) {
      await this.producer.send({
        topic: this.topics.onchain,
        acks: -1,
        messages: this.stream.slice(i, i + 500).map((e) => ({ key: e.eventId, value: e.value })),
      });
    }
  }

  /** Waits until the live group has committed the end of every input partition. */
  async liveDone(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const ends = await admin.fetchTopicOffsets(this.topics.onchain);
      await waitFor(
        'the live stream screening every past transfer',
        async () => {
          const [committed] = await admin.fetchOffsets({
            groupId: this.groupId,
            topics: [this.topics.onchain],
          });
          return ends.every(
            (e) =>
              BigInt(
                committed?.partitions.find((p) => p.partition === e.partition)?.offset ?? -1,
              ) >= BigInt(e.high),
          );
        },
        120_000,
        200,
      );
    } finally {
      await admin.disconnect();
    }
  }

  expectedIds(): string[] {
    return this.stream.filter((e) => e.touches).map((e) => e.eventId);
  }

  retroAlerts(records = this.alerts.json<Alert>()): Alert[] {
    return records.filter((a) => a.retroactive);
  }

  async tearDown(): Promise<void> {
    for (const s of this.screeners) if (s.running) await s.stop('SIGKILL').catch(() => undefined);
    await this.early.stop();
    await this.alerts.stop();
    await this.producer?.disconnect().catch(() => undefined);
    const admin = this.kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: Object.values(this.topics) }).catch(() => undefined);
    await admin.disconnect();
    const redis = redisClientFor(this.redisUrl, { maxRetriesPerRequest: 1 });
    redis.on('error', () => undefined);
    await dropPrefix(redis, this.prefix).catch(() => undefined);
    redis.disconnect();
  }
}

const finishedFor = (version: string) => (l: LogLine) =>
  l.msg === 're-screen finished' && l.listVersion === version;

describe.each<DeliveryMode>(['at-least-once', 'exactly-once'])(
  're-screen interrupted by SIGKILL and restarted (%s)',
  (mode) => {
    let run: RetroRun;
    afterEach(() => run?.tearDown());

    it('raises every retroactive alert, and in exactly-once mode repeats none under read_committed', async () => {
      run = new RetroRun(mode);
      await run.setUp();
      await run.producePast();
      const first = await run.start();
      await run.liveDone();
      const v2 = await publishList(
        run.redisUrl,
        run.prefix,
        await excerptListWithAddition(run.tag),
      );
      await first.waitForLog(
        'the re-screen starting',
        (l) => l.msg === 're-screen started' && l.listVersion === v2,
        60_000,
      );
      await waitFor(
        'the first retroactive alerts',
        () => run.retroAlerts(run.early.json<Alert>()).length > 0,
        60_000,
        5,
      );
      const seenAtKill = run.retroAlerts(run.early.json<Alert>()).length;
      await first.stop('SIGKILL');

      const second = await run.start();
      await second.waitForLog('the re-screen finishing', finishedFor(v2), 120_000);
      const expected = run.expectedIds();
      await waitFor(
        'every retroactive alert',
        () => expected.every((id) => run.retroAlerts().some((a) => a.eventId === id)),
        60_000,
      );
      const records =
        mode === 'exactly-once' ? await readCommittedWithJava(kafkaEnv(), run.topics.alerts) : null;
      const retro = run.retroAlerts(
        records?.map((r) => JSON.parse(r.value?.toString('utf8') ?? 'null') as Alert),
      );
      const ids = retro.map((a) => a.alertId);
      // The kill landed inside the re-screen (not after it).
      expect(seenAtKill).toBeLessThan(expected.length);
      expect(new Set(retro.map((a) => a.eventId))).toEqual(new Set(expected));
      expect(retro.every((a) => a.ruleId === 'SANCTIONS_ADDRESS_MATCH')).toBe(true);
      if (mode === 'exactly-once') {
        expect(records).not.toBeNull();
        expect(ids.length - new Set(ids).size).toBe(0);
      }
    });
  },
);

describe('re-screen through a Redis outage', () => {
  let run: RetroRun;
  let isolated: IsolatedRedis;
  afterEach(async () => {
    await run?.tearDown();
    await isolated?.stop();
  });

  it('pauses while Redis does not answer and resumes, losing nothing', async () => {
    isolated = await IsolatedRedis.start();
    run = new RetroRun('at-least-once', isolated.url);
    await run.setUp();
    await run.producePast();
    const screener = await run.start();
    await run.liveDone();
    const v2 = await publishList(run.redisUrl, run.prefix, await excerptListWithAddition(run.tag));
    await screener.waitForLog(
      'the re-screen starting',
      (l) => l.msg === 're-screen started' && l.listVersion === v2,
      60_000,
    );
    // Redis answers nothing for 20 s (longer than the client's command timeout), from before
    // the re-screen's first batch (joining its group takes seconds) into its work.
    const admin = redisClientFor(isolated.url);
    await admin.call('CLIENT', 'PAUSE', '20000', 'ALL');
    admin.disconnect();
    await screener.waitForLog(
      'the re-screen holding its batch',
      (l) => l.component === 're-screen' && String(l.msg).startsWith('batch held'),
      60_000,
    );
    await screener.waitForLog('the re-screen finishing', finishedFor(v2), 120_000);
    const expected = run.expectedIds();
    await waitFor(
      'every retroactive alert',
      () => expected.every((id) => run.retroAlerts().some((a) => a.eventId === id)),
      60_000,
    );
    expect(new Set(run.retroAlerts().map((a) => a.eventId))).toEqual(new Set(expected));
  });
});
