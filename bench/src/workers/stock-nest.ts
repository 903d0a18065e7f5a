import { Controller, type DynamicModule, Inject, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  Ctx,
  EventPattern,
  KafkaContext,
  type MicroserviceOptions,
  Transport,
} from '@nestjs/microservices';
import { logLevel } from 'kafkajs';
import { type AppConfig, loadConfig } from '@sekimori/config';
import {
  type BatchOutcome,
  type ConsumedBatch,
  createKafka,
  toTopicMessages,
} from '@sekimori/kafka';
import { createLogger, PinoNestLogger } from '../../../apps/screener/src/infrastructure/logger';
import { loadRulesConfig } from '../../../apps/screener/src/infrastructure/rules-config';
import { APP_CONFIG } from '../../../apps/screener/src/infrastructure/tokens';
import { RecordRatesService } from '../../../apps/screener/src/record-rates/record-rates.service';
import { ScreenTransfersService } from '../../../apps/screener/src/screen-transfers/screen-transfers.service';
import { ScreenerModule } from '../../../apps/screener/src/screener.module';

/**
 * The handler of variant (c). Nest binds `@EventPattern` values as Kafka topics, and the bench's
 * topics are only known at run time, so the class is made once the configuration is read.
 * Each message is screened on its own through the screener's use case (a batch of one), and its
 * alerts are produced with the transport's own producer before the next message is taken.
 */
function stockHandler(config: AppConfig): Type<unknown> {
  const { topics } = config;

  @Controller()
  class StockScreenHandler {
    constructor(
      @Inject(APP_CONFIG) private readonly appConfig: AppConfig,
      private readonly screening: ScreenTransfersService,
      private readonly rates: RecordRatesService,
    ) {}

    @EventPattern(topics.onchain)
    onchain(@Ctx() ctx: KafkaContext): Promise<void> {
      return this.one(ctx);
    }

    @EventPattern(topics.exchange)
    exchange(@Ctx() ctx: KafkaContext): Promise<void> {
      return this.one(ctx);
    }

    @EventPattern(topics.rates)
    rate(@Ctx() ctx: KafkaContext): Promise<void> {
      return this.one(ctx);
    }

    private async one(ctx: KafkaContext): Promise<void> {
      const m = ctx.getMessage();
      const batch: ConsumedBatch = {
        topic: ctx.getTopic(),
        partition: ctx.getPartition(),
        messages: [
          {
            offset: m.offset,
            key: m.key === null ? null : Buffer.from(m.key as Buffer | string),
            // parser.keepBinary leaves the value as the broker's bytes, as the use case expects.
            value: m.value as Buffer | null,
            headers: m.headers ?? {},
            timestamp: m.timestamp,
          },
        ],
      };
      const outcome: BatchOutcome =
        batch.topic === this.appConfig.topics.rates
          ? await this.rates.record(batch)
          : await this.screening.screen(batch);
      if (outcome.records.length > 0) {
        await ctx
          .getProducer()
          .sendBatch({ topicMessages: toTopicMessages(outcome.records), acks: -1 });
      }
    }
  }
  return StockScreenHandler;
}

@Module({})
class StockNestModule {
  static forRoot(base: DynamicModule, handler: Type<unknown>): DynamicModule {
    // The screener's providers as shipped, with the stock per-message handler in front of them.
    return {
      module: StockNestModule,
      imports: base.imports,
      controllers: [handler],
      providers: base.providers,
    };
  }
}

/**
 * Variant (c): the stock Nest Kafka transport (`Transport.KAFKA`: eachMessage, one message at a
 * time per partition, kafkajs auto-commit) running the same screening. Configured by the
 * screener's own environment variables.
 */
export async function runStockNest(): Promise<void> {
  const config = loadConfig();
  const rules = loadRulesConfig(config);
  const log = createLogger(config.log.level, 'bench-stock-nest');
  // The screener module wants its Kafka client for the broker health check; the transport
  // below has its own, as the stock transport always does.
  const kafka = createKafka({
    brokers: config.kafka.brokers,
    clientId: config.kafka.clientId,
    logger: log,
  });
  const base = ScreenerModule.forRoot(config, log, rules, kafka);
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(
    StockNestModule.forRoot(base, stockHandler(config)),
    {
      logger: new PinoNestLogger(log),
      transport: Transport.KAFKA,
      options: {
        postfixId: '',
        client: {
          clientId: 'bench-stock-nest',
          brokers: config.kafka.brokers,
          logLevel: logLevel.WARN,
        },
        consumer: { groupId: config.kafka.groupId, sessionTimeout: config.kafka.sessionTimeoutMs },
        subscribe: { fromBeginning: true },
        parser: { keepBinary: true },
      },
    },
  );
  // listen() resolves once the consumer has joined its group and started fetching.
  await app.listen();
  log.info('joined consumer group');
  const stop = (): void => {
    void app.close().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
