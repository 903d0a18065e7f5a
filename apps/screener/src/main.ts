import 'reflect-metadata';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type Redis from 'ioredis';
import { type AppConfig, ConfigError, loadConfig, redactConfig } from '@sekimori/config';
import { createKafka, ensureTopics, KafkaBatchTransport } from '@sekimori/kafka';
import { ConsumerHealthIndicator } from './health/consumer.health';
import { loadRulesConfig } from './infrastructure/rules-config';
import { REDIS } from './infrastructure/tokens';
import { createLogger, PinoNestLogger } from './infrastructure/logger';
import { KeepBatchErrorsFilter } from './observability/keep-batch-errors.filter';
import { ListStatusService } from './observability/list-status.service';
import { ScreeningMetrics } from './observability/screening-metrics';
import { startThroughputLog } from './observability/throughput-log';
import { ScreenerModule } from './screener.module';

function fatal(message: string): never {
  process.stderr.write(
    `${JSON.stringify({ level: 'fatal', time: new Date().toISOString(), msg: message })}\n`,
  );
  process.exit(1);
}

async function redisReady(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return;
  await once(redis, 'ready', { signal: AbortSignal.timeout(timeoutMs) }).catch(() => undefined);
}

async function bootstrap(): Promise<void> {
  let config: AppConfig;
  let rules;
  try {
    config = loadConfig();
    rules = loadRulesConfig(config);
  } catch (error) {
    fatal(
      error instanceof ConfigError || error instanceof Error
        ? `invalid configuration: ${error.message}`
        : String(error),
    );
  }
  const log = createLogger(config.log.level);
  const kafka = createKafka({
    brokers: config.kafka.brokers,
    clientId: config.kafka.clientId,
    logger: log,
  });
  const { topics } = config;
  if (config.kafka.createTopics) {
    const created = await ensureTopics(kafka, Object.values(topics), config.kafka.topicPartitions);
    if (created.length > 0) log.info({ created }, 'created missing topics');
  }

  const app = await NestFactory.create(ScreenerModule.forRoot(config, log, rules, kafka), {
    logger: new PinoNestLogger(log),
  });
  const metrics = app.get(ScreeningMetrics);
  const listStatus = app.get(ListStatusService);
  const transport = new KafkaBatchTransport({
    kafka,
    groupId: config.kafka.groupId,
    topics: [topics.onchain, topics.exchange, topics.rates],
    deliveryMode: config.kafka.deliveryMode,
    transactionalIdPrefix: config.kafka.transactionalIdPrefix,
    sessionTimeoutMs: config.kafka.sessionTimeoutMs,
    partitionsConsumedConcurrently: config.kafka.partitionsConsumedConcurrently,
    retryInitialMs: config.screener.retryInitialMs,
    retryMaxMs: config.screener.retryMaxMs,
    logger: log.child({ component: 'consumer' }),
    observer: metrics,
  });
  app.get(ConsumerHealthIndicator).watch(transport);
  // Before connectMicroservice: the microservice builds its handlers' filter chain right then.
  app.useGlobalFilters(new KeepBatchErrorsFilter(app.get(HttpAdapterHost).httpAdapter));
  app.connectMicroservice({ strategy: transport }, { inheritAppConfig: true });

  // The first list read would race the Redis connection and report an error for a list that
  // is there. Redis down at boot is no reason not to start (batches are held until it is back),
  // so the wait is short.
  await redisReady(app.get<Redis>(REDIS), 3_000);
  const lists = await listStatus.refresh();
  listStatus.start();
  await app.startAllMicroservices();
  await app.listen(config.screener.httpPort, '127.0.0.1');
  // HTTP_PORT=0 lets the OS choose; the port actually bound is what a prober needs.
  const httpPort = (app.getHttpServer().address() as AddressInfo | null)?.port ?? null;
  const stopThroughput = startThroughputLog(metrics, log, config.screener.throughputLogIntervalMs);

  log.info(
    {
      config: redactConfig(config),
      rules,
      lists: lists.versions,
      listAgeHours:
        lists.oldestAgeHours === null ? null : Math.round(lists.oldestAgeHours * 10) / 10,
      pid: process.pid,
      httpPort,
    },
    'sekimori screener started',
  );

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

bootstrap().catch((error: unknown) =>
  fatal(`screener failed to start: ${(error as Error).stack ?? String(error)}`),
);
