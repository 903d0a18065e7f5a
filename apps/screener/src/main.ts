// First: it sets how the heap grows before anything else allocates.
import './heap-growth';
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import {
  type AppConfig,
  ConfigError,
  loadConfig,
  loadRulesConfig,
  redactConfig,
} from '@sekimori/config';
import {
  compressionType,
  createKafka,
  ensureTopics,
  KafkaAccessError,
  KafkaBatchTransport,
  verifyKafkaAccess,
} from '@sekimori/kafka';
import { type RedisClient, RedisAccessError, verifyRedisAccess } from '@sekimori/redis';
import type { RulesConfig } from '@sekimori/rules';
import { NameIndexCache, type VersionMeta } from '@sekimori/list-store';
import { createLogger, PinoNestLogger, REDIS } from '@sekimori/screening-nest';
import { ReviewStore } from '@sekimori/screening-redis';
import { logFatal } from '@sekimori/logging';
import { parseScreenerArgs, USAGE, UsageError } from './cli-args';
import { ConsumerHealthIndicator } from './health/consumer.health';
import { KeepBatchErrorsFilter } from './observability/keep-batch-errors.filter';
import { type ListStatus, ListStatusService } from './observability/list-status.service';
import { ScreeningMetrics } from './observability/screening-metrics';
import { startThroughputLog } from './observability/throughput-log';
import { ApiRequestLog } from './screening-api/access-log';
import { keyDigestBuffers } from './screening-api/api-key';
import { limitHttpServer } from './screening-api/http-server';
import { TokenBuckets } from './screening-api/rate-limit';
import { ApiGate, gateHttpServer } from './screening-api/api-gate';
import { KeyLanes } from './screening-api/key-lanes';
import { openApiDocument, OPENAPI_JSON_PATH, serveOpenApi } from './screening-api/openapi';
import { RetroRunner } from './retro/retro-runner.service';
import { ReviewRebuild } from './reviews-api/review-rebuild';
import { ScreenerModule } from './screener.module';

function fatal(message: string, error?: unknown): never {
  logFatal('sekimori-screener', message, error);
  process.exit(1);
}

async function redisReady(redis: RedisClient, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return;
  await once(redis, 'ready', { signal: AbortSignal.timeout(timeoutMs) }).catch(() => undefined);
}

/**
 * The name indexes of the versions in use, built before the first batch instead of by it: the
 * first batch would wait for them (1-2 s for the three shipped lists, 56,000 names). A failure
 * (Redis down, a version's names missing) is said and left to the batches, which fail closed.
 */
async function warmNameIndexes(
  names: NameIndexCache,
  versions: readonly VersionMeta[],
  log: Logger,
): Promise<void> {
  const named = versions.filter((v) => v.counts.names !== undefined);
  if (named.length === 0) return;
  const started = Date.now();
  try {
    const indexed = await names.warm(Object.fromEntries(named.map((v) => [v.listId, v.version])));
    log.info(
      {
        lists: named.map((v) => `${v.listId}:${v.version}`),
        names: indexed,
        ms: Date.now() - started,
      },
      'name indexes built',
    );
  } catch (error) {
    log.warn(
      { err: error },
      'name indexes not built at start; the first batch with names builds them',
    );
  }
}

/** `--openapi <file>`: writes the API document generated from the controllers, and exits. */
async function writeOpenApi(file: string): Promise<void> {
  const config = loadConfig({});
  const log = createLogger('warn');
  const kafka = createKafka({ brokers: config.kafka.brokers, clientId: 'openapi', logger: log });
  const app = await NestFactory.create(
    ScreenerModule.forRoot(config, log, loadRulesConfig(config), kafka),
    { logger: false, bodyParser: false },
  );
  writeFileSync(file, `${JSON.stringify(openApiDocument(app), null, 2)}\n`);
  await app.close();
}

/** The configuration and the rules, validated; a bad value stops the process, by name. */
function loadOrExit(): { config: AppConfig; rules: RulesConfig } {
  try {
    const config = loadConfig();
    return { config, rules: loadRulesConfig(config) };
  } catch (error) {
    fatal(
      error instanceof ConfigError || error instanceof Error
        ? `invalid configuration: ${error.message}`
        : String(error),
      error instanceof ConfigError ? undefined : error,
    );
  }
}

/**
 * A wrong password or an untrusted certificate stops the start here, by name, instead of
 * surfacing as a consumer that retries for ever. Redis down is no reason not to start (batches
 * wait for it); refused credentials, or a cluster node where REDIS_CLUSTER says a single Redis
 * (or the other way round), are.
 */
async function verifyAccess(config: AppConfig, log: Logger): Promise<void> {
  const reached = await verifyKafkaAccess(config.kafka).catch((error: unknown) =>
    error instanceof KafkaAccessError ? fatal(error.message) : Promise.reject(error),
  );
  const { url, security, cluster } = config.redis;
  await verifyRedisAccess(url, security, 3_000, cluster).catch((error: unknown) =>
    error instanceof RedisAccessError ? fatal(error.message) : Promise.reject(error),
  );
  if (!reached) {
    log.warn(
      { brokers: config.kafka.brokers },
      'Kafka does not answer yet; the clients keep trying',
    );
  }
}

async function createMissingTopics(kafka: Kafka, config: AppConfig, log: Logger): Promise<void> {
  if (!config.kafka.createTopics) return;
  const { topics } = config;
  // decisions.v1 keeps the latest decision per eventId (compaction) for as long as the
  // broker's retention, so that a withdrawal system that restarts can read where it was.
  const created = await ensureTopics(kafka, Object.values(topics), config.kafka.topicPartitions, {
    [topics.decisions]: { 'cleanup.policy': 'compact,delete' },
    // reviews.v1 is the record of every outcome, kept as long as the decisions it changed.
    [topics.reviews]: { 'cleanup.policy': 'compact,delete' },
    // The standing effects are rebuilt from it after Redis is lost: never deleted by age.
    [topics.reviewEffects]: { 'cleanup.policy': 'compact' },
  });
  if (created.length > 0) log.info({ created }, 'created missing topics');
}

/** The Nest app: the screening API over HTTP and the batch transport as its microservice. */
async function createApp(
  config: AppConfig,
  rules: RulesConfig,
  log: Logger,
  kafka: Kafka,
): Promise<INestApplication> {
  const { topics } = config;
  // The screening API reads the body's bytes itself, to decode them exactly as the stream does.
  const app = await NestFactory.create(ScreenerModule.forRoot(config, log, rules, kafka), {
    logger: new PinoNestLogger(log),
    bodyParser: false,
  });
  serveOpenApi(app);
  const transport = new KafkaBatchTransport({
    kafka,
    groupId: config.kafka.groupId,
    // Reviews beside the transfers: a final decision goes out with its review's offset, on the
    // same delivery path (one transaction in exactly-once mode) as the stream's decisions.
    topics: [topics.onchain, topics.exchange, topics.rates, topics.reviews],
    deliveryMode: config.kafka.deliveryMode,
    transactionalIdPrefix: config.kafka.transactionalIdPrefix,
    sessionTimeoutMs: config.kafka.sessionTimeoutMs,
    partitionsConsumedConcurrently: config.kafka.partitionsConsumedConcurrently,
    compression: compressionType(config.kafka.compression),
    retryInitialMs: config.screener.retryInitialMs,
    retryMaxMs: config.screener.retryMaxMs,
    logger: log.child({ component: 'consumer' }),
    observer: app.get(ScreeningMetrics),
  });
  app.get(ConsumerHealthIndicator).watch(transport);
  // Before connectMicroservice: the microservice builds its handlers' filter chain right then.
  app.useGlobalFilters(new KeepBatchErrorsFilter(app.get(HttpAdapterHost).httpAdapter));
  app.connectMicroservice({ strategy: transport }, { inheritAppConfig: true });
  return app;
}

/** The lists read and their name indexes built, then the stream and the re-screens started. */
async function startConsuming(app: INestApplication, log: Logger): Promise<ListStatus> {
  const listStatus = app.get(ListStatusService);
  // The first list read would race the Redis connection and report an error for a list that
  // is there. Redis down at boot is no reason not to start (batches are held until it is back),
  // so the wait is short.
  await redisReady(app.get<RedisClient>(REDIS), 3_000);
  const lists = await listStatus.refresh();
  listStatus.start();
  await warmNameIndexes(app.get(NameIndexCache), lists.versions, log);
  // Before the first batch: clearances and freezes must be there, or nothing is screened.
  const rebuild = app.get(ReviewRebuild);
  await rebuild.ensure();
  rebuild.start();
  const reviews = app.get(ReviewStore);
  app.get(ScreeningMetrics).countReviewsWith(() => reviews.counts());
  await app.startAllMicroservices();
  // Re-screens run beside the live stream, once it is consuming.
  app.get(RetroRunner).start();
  return lists;
}

/** The port bound: HTTP_PORT=0 lets the OS choose, and the port actually bound is what a prober needs. */
async function listen(app: INestApplication, config: AppConfig): Promise<number | null> {
  const metrics = app.get(ScreeningMetrics);
  const server = app.getHttpServer();
  limitHttpServer(server, config.api, () => metrics.apiConnectionDropped());
  const { rateLimitPerSecond, keyDigests, refusalDelayMs, maxInFlightPerKey } = config.api;
  if (rateLimitPerSecond > 0 || maxInFlightPerKey > 0) {
    const requests = app.get(ApiRequestLog);
    const gate = new ApiGate({
      keyDigests: keyDigestBuffers(keyDigests),
      buckets: rateLimitPerSecond > 0 ? new TokenBuckets(rateLimitPerSecond) : null,
      refusalDelayMs,
      lanes: maxInFlightPerKey > 0 ? new KeyLanes(maxInFlightPerKey) : null,
      answered: (r) => requests.record(r),
    });
    gateHttpServer(server, gate);
  }
  await app.listen(config.screener.httpPort, config.screener.httpHost);
  return (app.getHttpServer().address() as AddressInfo | null)?.port ?? null;
}

function logStarted(
  log: Logger,
  config: AppConfig,
  rules: RulesConfig,
  lists: ListStatus,
  httpPort: number | null,
): void {
  log.info(
    {
      config: redactConfig(config),
      rules,
      lists: lists.versions,
      listAgeHours:
        lists.oldestAgeHours === null ? null : Math.round(lists.oldestAgeHours * 10) / 10,
      pid: process.pid,
      httpHost: config.screener.httpHost,
      httpPort,
      apiKeys: config.api.keyDigests.length,
      openapi: OPENAPI_JSON_PATH,
    },
    'sekimori screener started',
  );
  if (config.api.keyDigests.length === 0) {
    log.warn('SCREENING_API_KEYS is empty: the screening API refuses every request (401)');
  }
}

/** SIGTERM or SIGINT: the batch in hand finished, offsets committed, the group left, in time. */
function stopOnSignals(
  app: INestApplication,
  config: AppConfig,
  log: Logger,
  stopThroughput: () => void,
): void {
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      if (stopping) return;
      stopping = true;
      stopThroughput();
      log.info({ signal }, 'stopping: finishing the batch in hand, committing, leaving the group');
      const deadline = setTimeout(() => {
        log.error(
          { timeoutMs: config.screener.shutdownTimeoutMs },
          'shutdown took too long; exiting',
        );
        process.exit(1);
      }, config.screener.shutdownTimeoutMs);
      deadline.unref();
      // Closing the app closes the transport (batch finished, offsets committed, group left),
      // then the shutdown hooks (Redis).
      app.close().then(
        () => {
          log.info('stopped cleanly');
          process.exit(0);
        },
        (error: unknown) => {
          log.error({ err: error }, 'error while stopping');
          process.exit(1);
        },
      );
    });
  }
}

async function bootstrap(): Promise<void> {
  const { config, rules } = loadOrExit();
  const log = createLogger(config.log.level);
  const kafka = createKafka({
    brokers: config.kafka.brokers,
    clientId: config.kafka.clientId,
    logger: log,
    security: config.kafka.security,
  });
  await verifyAccess(config, log);
  await createMissingTopics(kafka, config, log);
  const app = await createApp(config, rules, log, kafka);
  const lists = await startConsuming(app, log);
  const httpPort = await listen(app, config);
  const stopThroughput = startThroughputLog(
    app.get(ScreeningMetrics),
    log,
    config.screener.throughputLogIntervalMs,
  );
  logStarted(log, config, rules, lists, httpPort);
  stopOnSignals(app, config, log, stopThroughput);
}

/** The names and types /metrics exports, from the registry itself (dashboards are checked against it). */
async function listMetrics(): Promise<void> {
  const metrics = await new ScreeningMetrics().registry.getMetricsAsJSON();
  process.stdout.write(metrics.map((m) => `${m.name} ${m.type}\n`).join(''));
}

function main(argv: readonly string[]): void {
  let args;
  try {
    args = parseScreenerArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`screener: ${error.message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (args === null) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (args.listMetrics) {
    listMetrics().then(
      () => process.exit(0),
      (error: unknown) => fatal('cannot list the metrics', error),
    );
  } else if (args.openapi !== undefined) {
    writeOpenApi(args.openapi).then(
      () => process.exit(0),
      (error: unknown) => fatal('cannot write the OpenAPI document', error),
    );
  } else {
    bootstrap().catch((error: unknown) => fatal('screener failed to start', error));
  }
}

main(process.argv.slice(2));
