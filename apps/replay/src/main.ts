import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { type KafkaMessage } from 'kafkajs';
import { createServiceLogger, logFatal } from '@sekimori/logging';
import type { Decision } from '@sekimori/contracts';
import { ConfigError, loadConfig } from '@sekimori/config';
import { createKafka } from '@sekimori/kafka';
import { createRedisClient } from '@sekimori/redis';
import { defaultRules, RuleEngine } from '@sekimori/rules';
import { NameIndexCache, SanctionsListStore, UnknownVersionError } from '@sekimori/sanctions';
import {
  ExposureStore,
  loadRulesConfig,
  type RangeMessage,
  RatesStore,
  ReplayScreening,
  RoutingStore,
  StructuringWindowStore,
  summarise,
  unscreenableEventOf,
} from '@sekimori/screening';
import { parseArgs, USAGE, UsageError } from './cli-args';
import { buildReport, humanSummary } from './report';
import {
  assertTopics,
  rangeByTime,
  rangeFromTime,
  readRange,
  TopicMissingError,
} from './topic-range';

/** Decisions are read from a little before the range: the screener's clock may run behind. */
const CLOCK_SKEW_MS = 5 * 60_000;

const SERVICE = 'sekimori-replay';

/** A bad command line: the reason and the usage, for a person at a terminal. */
function usageFailure(message: string): number {
  process.stderr.write(`replay: ${message}\n${USAGE}\n`);
  return 2;
}

/**
 * `npm run replay -- --topic <t> --from <time> --to <time> [--lists ...] [--out report.json]`.
 * Exit 0: report made. 1: a version not kept, or Kafka or Redis failed. 2: bad command line or
 * configuration. Reads the screener's configuration: it must screen as the screener does.
 */
async function main(): Promise<number> {
  let args;
  let config;
  let rules;
  try {
    args = parseArgs(process.argv.slice(2));
    if (args === null) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    config = loadConfig();
    rules = loadRulesConfig(config);
  } catch (error) {
    if (error instanceof UsageError) return usageFailure(error.message);
    if (!(error instanceof ConfigError)) throw error;
    logFatal(SERVICE, `invalid configuration: ${error.message}`);
    return 2;
  }
  const { topics } = config;
  const expected =
    args.topic === topics.exchange
      ? 'exchange-transfer'
      : args.topic === topics.onchain
        ? 'onchain-transfer'
        : null;
  if (expected === null) {
    return usageFailure(
      `--topic ${args.topic} is not an input topic: TOPIC_ONCHAIN is ${topics.onchain}, TOPIC_EXCHANGE is ${topics.exchange}`,
    );
  }
  // Logs go to stderr: stdout carries the summary.
  const log = createServiceLogger({ service: SERVICE, level: config.log.level, destination: 2 });
  const kafka = createKafka({
    brokers: config.kafka.brokers,
    clientId: `${config.kafka.clientId}-replay`,
    logger: log,
    retries: 3,
    security: config.kafka.security,
  });
  // A one-off tool waits for Redis to answer rather than failing its first command.
  const redis = createRedisClient(config.redis, {
    enableOfflineQueue: true,
    maxRetriesPerRequest: 3,
    commandTimeout: 30_000,
  });
  const groupStem = `${config.kafka.groupId}-replay-${process.pid}-${Date.now().toString(36)}`;
  const admin = kafka.admin();
  try {
    await admin.connect();
    await assertTopics(admin, [args.topic, topics.decisions]);
    const ranges = await rangeByTime(admin, args.topic, args.fromMs, args.toMs);
    const messages: RangeMessage[] = [];
    const inRange = (m: KafkaMessage): boolean => {
      const t = Number(m.timestamp);
      return t >= args.fromMs && t < args.toMs;
    };
    await readRange(kafka, args.topic, ranges, { groupId: `${groupStem}-events` }, (p, batch) => {
      for (const m of batch.filter(inRange)) {
        messages.push({
          partition: p,
          offset: m.offset,
          timestamp: new Date(Number(m.timestamp)).toISOString(),
          value: m.value,
        });
      }
    });
    messages.sort(
      (a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)),
    );
    log.info({ topic: args.topic, events: messages.length }, 'range read');

    const eventIds = new Set(messages.flatMap((m) => unscreenableEventOf(m.value)?.eventId ?? []));
    const decisions = new Map<string, Decision[]>();
    const decisionRanges = await rangeFromTime(
      admin,
      topics.decisions,
      args.fromMs - CLOCK_SKEW_MS,
    );
    await readRange(
      kafka,
      topics.decisions,
      decisionRanges,
      { groupId: `${groupStem}-decisions` },
      (_p, batch) => {
        for (const m of batch) {
          const key = m.key?.toString('utf8');
          if (key === undefined || !eventIds.has(key) || m.value === null) continue;
          const decision = JSON.parse(m.value.toString('utf8')) as Decision;
          const known = decisions.get(key);
          if (known) known.push(decision);
          else decisions.set(key, [decision]);
        }
      },
    );
    log.info({ topic: topics.decisions, decided: decisions.size }, 'decisions read');

    const prefix = config.redis.keyPrefix;
    const replay = new ReplayScreening(
      {
        rates: new RatesStore(redis, prefix),
        windows: new StructuringWindowStore(redis, prefix, rules.structuringWindowDays),
        exposures: new ExposureStore(
          redis,
          prefix,
          rules.exposureTtlDays,
          rules.exposureMaxPathsPerAddress,
        ),
        routing: new RoutingStore(redis, prefix, rules),
        names: new NameIndexCache(redis, prefix),
      },
      new SanctionsListStore(redis, prefix),
      new RuleEngine(defaultRules(), rules),
    );
    const entries = await replay.replay(messages, decisions, {
      expected,
      maxMessageBytes: config.screener.maxMessageBytes,
      lists: args.lists,
    });
    const report = buildReport({
      ...args,
      ranges,
      summary: summarise(entries),
      entries,
      now: new Date(),
    });
    if (args.out !== undefined) writeFileSync(args.out, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(humanSummary(report, args.out));
    return 0;
  } catch (error) {
    if (error instanceof UnknownVersionError) {
      log.error(
        `${error.message}: the store keeps each list's current version and LIST_RETAIN_VERSIONS=${config.lists.retainVersions} before it; raise LIST_RETAIN_VERSIONS to keep more`,
      );
    } else if (error instanceof TopicMissingError) {
      log.error(error.message);
    } else {
      log.error({ err: error }, `replay failed: ${(error as Error).message}`);
    }
    return 1;
  } finally {
    await admin.disconnect().catch(() => undefined);
    await redis.quit().catch(() => redis.disconnect());
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    logFatal(SERVICE, 'replay failed', error);
    process.exitCode = 1;
  },
);
