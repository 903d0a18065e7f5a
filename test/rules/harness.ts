import { classifyListedAddress } from '@sekimori/chains';
import type { RedisClient } from '@sekimori/redis';
import type { Alert, TopicNames } from '@sekimori/contracts';
import { SanctionsListStore } from '@sekimori/list-store';
import type { Message } from 'kafkajs';
import { EnrichmentKeys } from '@sekimori/screening-redis';
import { uniqueSuffix } from '../support/env';
import {
  createTopics,
  deleteTopics,
  freshTopics,
  kafka,
  produce,
  TopicCollector,
  topicEnv,
  waitForGroupCommitted,
} from '../support/kafka';
import { dropPrefix, freshPrefix, redisClient } from '../support/redis';
import { type LogLine, ScreenerProcess } from '../support/screener-process';

/** A made-up listed party, so a test needs no 8-second load of the real OFAC file. */
export const LISTED_BTC = '3Lpoy53K625zVeE47ZasiG5jGkAxJ27kh1';

/** One listed address of a made-up or excerpted list (see publishOneAddress). */
export interface ListedParty {
  listId: string;
  source: string;
  issuedAt: string;
  address: string;
  tag: string;
  entityId: string;
  entityName: string;
  programs: string[];
}

/** Publishes a list of one address under `prefix`; returns its version. */
export async function publishOneAddress(
  redis: RedisClient,
  prefix: string,
  party: ListedParty,
): Promise<string> {
  const listed = classifyListedAddress(party.address, party.tag);
  if (!listed) throw new Error(`fixture address ${party.address} is not classifiable`);
  const result = await new SanctionsListStore(redis, prefix).publish({
    listId: party.listId,
    source: party.source,
    issuedAt: party.issuedAt,
    entries: [
      {
        key: listed.key,
        chain: listed.chain,
        address: listed.canonical,
        entityId: party.entityId,
        entityName: party.entityName,
        programs: party.programs,
        tag: party.tag,
      },
    ],
    stats: {
      parties: 1,
      features: 1,
      distinctAddresses: 1,
      byChain: { [listed.chain]: 1 },
      unclassified: {},
    },
  });
  return result.version;
}

/** Publishes a one-address list under `prefix`; the screener refuses to screen without a list. */
export function publishSmallList(redis: RedisClient, prefix: string): Promise<string> {
  return publishOneAddress(redis, prefix, {
    listId: 'test-list',
    source: 'test/rules/harness.ts',
    issuedAt: '2026-03-01',
    address: LISTED_BTC,
    tag: 'XBT',
    entityId: '90001',
    entityName: 'TEST SANCTIONED EXCHANGE',
    programs: ['TEST-PROGRAM'],
  });
}

/** The JSON value of a produced message, keyed as the contract asks (exchange: account id). */
export function message(event: Record<string, unknown>, partition?: number): Message {
  const account = event.account as { id: string } | undefined;
  const key = account?.id ?? (event.asset as string | undefined) ?? null;
  return {
    key,
    value: Buffer.from(JSON.stringify(event)),
    ...(partition === undefined ? {} : { partition }),
  };
}

/**
 * One test's world: fresh topics, a fresh Redis prefix with a small list loaded, one consumer
 * group for the screeners it starts, and a collector on the alerts topic.
 */
export class RulesHarness {
  readonly topics: TopicNames = freshTopics();
  readonly prefix = freshPrefix();
  readonly groupId = `screener-rules-${uniqueSuffix()}`;
  readonly redis = redisClient();
  readonly keys = new EnrichmentKeys(this.prefix);
  readonly screeners: ScreenerProcess[] = [];
  alerts!: TopicCollector;

  async setUp(): Promise<this> {
    await Promise.all([createTopics(this.topics), publishSmallList(this.redis, this.prefix)]);
    this.alerts = await new TopicCollector(this.topics.alerts).start();
    return this;
  }

  /** Starts a screener of this harness' group and prefix and waits until it joined the group. */
  async startScreener(env: Record<string, string> = {}): Promise<ScreenerProcess> {
    const screener = new ScreenerProcess({
      ...topicEnv(this.topics),
      REDIS_KEY_PREFIX: this.prefix,
      KAFKA_GROUP_ID: this.groupId,
      THROUGHPUT_LOG_INTERVAL_MS: '1000',
      // The harness' own one-address list stands in for the OFAC list the screener requires.
      REQUIRED_LISTS: 'test-list',
      ...env,
    });
    this.screeners.push(screener);
    screener.spawn();
    await screener.waitForLog(
      'consumer joined the group',
      (l) => l.msg === 'joined consumer group',
      60_000,
    );
    return screener;
  }

  async tearDown(): Promise<void> {
    await Promise.all(this.screeners.map((s) => s.stop('SIGTERM').catch(() => undefined)));
    await this.alerts?.stop();
    await deleteTopics(this.topics);
    await dropPrefix(this.redis, this.prefix);
    this.redis.disconnect();
  }

  produce(topic: string, events: Array<Record<string, unknown>>, partition?: number) {
    return produce(
      topic,
      events.map((e) => message(e, partition)),
    );
  }

  /** The stored latest rate of an asset (`"<at ms> <jpy>"`), or null. */
  storedRate(asset: string): Promise<string | null> {
    return this.redis.hget(this.keys.latestRates(), asset);
  }

  /** An account's running structuring total in integer sen (yen × 100), or null. */
  windowTotalSen(accountId: string): Promise<string | null> {
    return this.redis.get(this.keys.windowTotal(accountId));
  }

  /**
   * Waits until the group has committed every message of the input topics, then until the
   * collector holds every alert on the alerts topic. The screener commits a batch only after
   * its alerts are acknowledged (libs/kafka AtLeastOnceDelivery), so after this no alert can
   * still be on its way: "no other alerts" can be checked exactly, without sleeping.
   */
  async drained(timeoutMs = 45_000): Promise<Alert[]> {
    const inputs = [this.topics.exchange, this.topics.rates, this.topics.onchain];
    await waitForGroupCommitted(this.groupId, inputs, timeoutMs);
    const admin = kafka.admin();
    await admin.connect();
    try {
      const ends = await admin.fetchTopicOffsets(this.topics.alerts);
      const total = ends.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
      await this.alerts.waitForCount(total, timeoutMs);
      return this.alerts.json<Alert>();
    } finally {
      await admin.disconnect();
    }
  }
}

/** The exchange partitions a screener holds after its latest join, from its log. */
export function exchangePartitions(screener: ScreenerProcess, topic: string): number[] {
  const joins = screener.logs.filter((l: LogLine) => l.msg === 'joined consumer group');
  const last = joins[joins.length - 1] as { assignment?: Record<string, number[]> } | undefined;
  return [...(last?.assignment?.[topic] ?? [])].sort();
}

/** The latest `totals.events` a screener logged in its throughput line (0 before the first). */
export function eventsRead(screener: ScreenerProcess): number {
  const lines = screener.logsWith('throughput');
  const totals = lines[lines.length - 1]?.totals as { events?: number } | undefined;
  return totals?.events ?? 0;
}
