import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import { createServiceLogger, logFatal } from '@sekimori/logging';
import type { Logger } from 'pino';
import { type Decision, UnknownVersionError } from '@sekimori/contracts';
import { type AppConfig, ConfigError, loadConfig, loadRulesConfig } from '@sekimori/config';
import { createKafka } from '@sekimori/kafka';
import { createRedisClient } from '@sekimori/redis';
import { defaultRules, RuleEngine, type RulesConfig } from '@sekimori/rules';
import {
  type RangeMessage,
  ReplayScreening,
  summarise,
  unscreenableEventOf,
} from '@sekimori/screening';
import { createScreeningStores } from '@sekimori/screening-redis';
import { parseArgs, type ReplayArgs, USAGE, UsageError } from './cli-args';
import { buildReport, humanSummary } from './report';
import {
  assertTopics,
  type PartitionRange,
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

/** What the command line and the configuration ask for, validated. */
interface Request {
  args: ReplayArgs;
  config: AppConfig;
  rules: RulesConfig;
  expected: 'exchange-transfer' | 'onchain-transfer';
}

/** The request, or the exit code and message of a bad one (null for --help). */
function readRequest(): Request | number {
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
  return { args, config, rules, expected };
}

/** The range's input messages, in partition and offset order. */
async function readEvents(
  kafka: Kafka,
  admin: Admin,
  args: ReplayArgs,
  groupId: string,
): Promise<{ ranges: PartitionRange[]; messages: RangeMessage[] }> {
  const ranges = await rangeByTime(admin, args.topic, args.fromMs, args.toMs);
  const messages: RangeMessage[] = [];
  const inRange = (m: KafkaMessage): boolean => {
    const t = Number(m.timestamp);
    return t >= args.fromMs && t < args.toMs;
  };
  await readRange(kafka, args.topic, ranges, { groupId }, (p, batch) => {
    for (const m of batch.filter(inRange)) {
      messages.push({
        partition: p,
        offset: m.offset,
        timestamp: new Date(Number(m.timestamp)).toISOString(),
        value: m.value,
      });
    }
  });
  messages.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
  return { ranges, messages };
}

/** The decisions the screener made for those events, by eventId. */
async function readDecisions(
  kafka: Kafka,
  admin: Admin,
  topic: string,
  fromMs: number,
  messages: readonly RangeMessage[],
  groupId: string,
): Promise<Map<string, Decision[]>> {
  const eventIds = new Set(messages.flatMap((m) => unscreenableEventOf(m.value)?.eventId ?? []));
  const decisions = new Map<string, Decision[]>();
  const ranges = await rangeFromTime(admin, topic, fromMs - CLOCK_SKEW_MS);
  await readRange(kafka, topic, ranges, { groupId }, (_p, batch) => {
    for (const m of batch) {
      const key = m.key?.toString('utf8');
      if (key === undefined || !eventIds.has(key) || m.value === null) continue;
      const decision = JSON.parse(m.value.toString('utf8')) as Decision;
      const known = decisions.get(key);
      if (known) known.push(decision);
      else decisions.set(key, [decision]);
    }
  });
  return decisions;
}

/** A one-off tool's clients: logs on stderr (stdout carries the summary), patient with Redis. */
function clientsOf(config: AppConfig) {
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
  return { log, kafka, redis };
}

/** Why the replay failed, logged; its exit code. */
function failureOf(error: unknown, config: AppConfig, log: Logger): number {
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
}

/**
 * `npm run replay -- --topic <t> --from <time> --to <time> [--lists ...] [--out report.json]`.
 * Exit 0: report made. 1: a version not kept, or Kafka or Redis failed. 2: bad command line or
 * configuration. Reads the screener's configuration: it must screen as the screener does.
 */
async function main(): Promise<number> {
  const request = readRequest();
  if (typeof request === 'number') return request;
  const { args, config, rules, expected } = request;
  const { log, kafka, redis } = clientsOf(config);
  const groupStem = `${config.kafka.groupId}-replay-${process.pid}-${Date.now().toString(36)}`;
  const admin = kafka.admin();
  try {
    await admin.connect();
    await assertTopics(admin, [args.topic, config.topics.decisions]);
    const { ranges, messages } = await readEvents(kafka, admin, args, `${groupStem}-events`);
    log.info({ topic: args.topic, events: messages.length }, 'range read');
    const { decisions: decisionsTopic } = config.topics;
    const decisions = await readDecisions(
      kafka,
      admin,
      decisionsTopic,
      args.fromMs,
      messages,
      `${groupStem}-decisions`,
    );
    log.info({ topic: decisionsTopic, decided: decisions.size }, 'decisions read');

    // No required lists: the replay names its versions, the store's current ones do not matter.
    const stores = createScreeningStores(redis, {
      keyPrefix: config.redis.keyPrefix,
      rules,
      retroLookbackDays: config.retro.lookbackDays,
    });
    const replay = new ReplayScreening(stores, stores.lists, new RuleEngine(defaultRules(), rules));
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
    return failureOf(error, config, log);
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
