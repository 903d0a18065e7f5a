import { classifyListedAddress } from '@sekimori/chains';
import { DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_TOPICS } from '@sekimori/contracts';
import type { ConsumedBatch } from '@sekimori/kafka';
import { redisSecurity } from '@sekimori/config';
import { createRedis } from '@sekimori/redis';
import { defaultRules, RuleEngine, validateRulesConfig } from '@sekimori/rules';
import { NameIndexCache, SanctionsListStore } from '@sekimori/list-store';
import {
  ExposureStore,
  RatesStore,
  RetroScreening,
  RetroStore,
  RoutingStore,
  ScreenTransfers,
  StructuringWindowStore,
} from '@sekimori/screening';
import { testRedisUrl } from '../support/env';
import { excerptList, excerptListWithAddition, publishList } from '../support/lists';
import { exchangeTransfer, json, onchainTransfer } from '../support/fixtures';
import { dropPrefix, freshPrefix, redisClient } from '../support/redis';

jest.setTimeout(180_000);

/** Events per kind; large enough for a stable rate, small enough for the suite (docs/operations.md). */
const EVENTS = 20_000;
const BATCH = 500;
/** One event in this many touches the newly listed address. */
const TOUCH_EVERY = 1_000;

/**
 * How fast RetroScreening.handle scans past transfers, on the real Redis: the figure the README's
 * cost of a re-screen at 10 million and 1 billion transfers rests on. It checks what it scans
 * (every touching transfer raised once, nothing else) and prints the rate; it asserts no time.
 */
describe('re-screen scan rate (RetroScreening.handle on generated events, real Redis)', () => {
  const admin = redisClient();
  const prefix = freshPrefix();
  const tag = `scan-${prefix}`;
  // The stores' client as the screener makes it: on a secured run, TLS and the service's ACL user.
  const redis = createRedis(testRedisUrl(), redisSecurity(process.env, testRedisUrl()), {
    enableOfflineQueue: true,
  });

  afterAll(async () => {
    await dropPrefix(admin, prefix);
    admin.disconnect();
    redis.disconnect();
  });

  it('scans generated on-chain and exchange transfers and raises each touching one once', async () => {
    const previous = await publishList(testRedisUrl(), prefix, await excerptList());
    const version = await publishList(testRedisUrl(), prefix, await excerptListWithAddition(tag));
    const listed = classifyListedAddress(
      `0x${Buffer.from(tag).toString('hex').padEnd(40, '0').slice(0, 40)}`,
      'ETH',
    );
    if (!listed) throw new Error('made-up address does not classify');
    const rules = validateRulesConfig({});
    const screening = new ScreenTransfers(
      {
        lists: new SanctionsListStore(redis, prefix),
        names: new NameIndexCache(redis, prefix),
        rates: new RatesStore(redis, prefix),
        windows: new StructuringWindowStore(redis, prefix, rules.structuringWindowDays),
        exposures: new ExposureStore(
          redis,
          prefix,
          rules.exposureTtlDays,
          rules.exposureMaxPathsPerAddress,
        ),
        routing: new RoutingStore(redis, prefix, rules),
      },
      new RuleEngine(defaultRules(), rules),
    );
    const store = new RetroStore(redis, prefix, 365);
    const retro = new RetroScreening(screening, store, {
      topics: DEFAULT_TOPICS,
      maxMessageBytes: DEFAULT_MAX_MESSAGE_BYTES,
    });
    const now = Date.now();
    const job = {
      listId: 'ofac-sdn',
      version,
      previousVersion: previous,
      issuedAt: new Date(now).toISOString(),
      switchedAt: new Date(now).toISOString(),
      createdAt: new Date(now).toISOString(),
      lookbackFrom: new Date(now - 365 * 86_400_000).toISOString(),
      ends: {},
      state: 'running' as const,
      scanned: 0,
      matched: 0,
    };
    const recent = new Date(now - 86_400_000).toISOString();
    const kinds = [
      {
        topic: DEFAULT_TOPICS.onchain,
        make: (i: number) =>
          onchainTransfer({
            blockTime: recent,
            ...(i % TOUCH_EVERY === 0 ? { to: listed.canonical } : {}),
          }),
      },
      {
        topic: DEFAULT_TOPICS.exchange,
        make: (i: number) =>
          exchangeTransfer({
            occurredAt: recent,
            chain: 'ethereum',
            asset: 'ETH',
            address:
              i % TOUCH_EVERY === 0
                ? listed.canonical
                : '0xde0b295669a9fd93d5f28d9ec85e40f4cb697bae',
          }),
      },
    ];
    for (const { topic, make } of kinds) {
      const values = Array.from({ length: EVENTS }, (_, i) => json(make(i)));
      const bytes = values.reduce((sum, v) => sum + v.length, 0);
      const active = {
        job,
        addedAddresses: new Set([listed.key]),
        addedNames: new Set<string>(),
        ends: new Map([[`${topic}:0`, BigInt(EVENTS)]]),
        lookbackFromMs: Date.parse(job.lookbackFrom),
      };
      let records = 0;
      const started = process.hrtime.bigint();
      for (let from = 0; from < EVENTS; from += BATCH) {
        const batch: ConsumedBatch = {
          topic,
          partition: 0,
          messages: values.slice(from, from + BATCH).map((value, j) => ({
            offset: String(from + j),
            key: null,
            value,
            headers: {},
            timestamp: String(now),
          })),
        };
        const outcome = await retro.handle(batch, active);
        records += outcome.records.length;
        outcome.delivered?.();
      }
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      // One retroactive alert and one retroactive decision per touching transfer, nothing else.
      expect(records).toBe(2 * (EVENTS / TOUCH_EVERY));
      console.log(
        `${topic}: ${EVENTS} events (${Math.round(bytes / EVENTS)} bytes each) scanned in ${seconds.toFixed(2)} s: ${Math.round(EVENTS / seconds)} events/s`,
      );
    }
  });
});
