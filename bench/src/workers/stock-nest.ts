import { Controller, type DynamicModule, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  Ctx,
  EventPattern,
  KafkaContext,
  type MicroserviceOptions,
  Transport,
} from '@nestjs/microservices';
import { logLevel } from 'kafkajs';
import { type AppConfig, loadConfig, loadRulesConfig } from '@sekimori/config';
import { type ConsumedBatch, registerKafkaCodecs, toTopicMessages } from '@sekimori/kafka';
import { ScreenTransfers } from '@sekimori/screening';
import { TransferAndRateStream } from '@sekimori/screening-kafka';
import { createLogger, PinoNestLogger, ScreeningModule } from '@sekimori/screening-nest';
import { RatesStore, ReviewStore } from '@sekimori/screening-redis';

/**
 * The handler of variant (c). Nest binds `@EventPattern` values as Kafka topics, and the bench's
 * topics are only known at run time, so the class is made once the configuration is read.
 * Each message is screened on its own through the screener's stream adapter (a batch of one),
 * and its output is produced with the transport's own producer before the next message is taken.
 */
function stockHandler(config: AppConfig): Type<unknown> {
  const { topics } = config;

  @Controller()
  class StockScreenHandler {
    constructor(private readonly stream: TransferAndRateStream) {}

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
      const outcome = await this.stream.handle(batch);
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
  static forRoot(screening: DynamicModule, config: AppConfig, handler: Type<unknown>) {
    // The screener's use case and stores as shipped, with the stock per-message handler in front.
    return {
      module: StockNestModule,
      imports: [screening],
      controllers: [handler],
      providers: [
        {
          provide: TransferAndRateStream,
          inject: [ScreenTransfers, RatesStore],
          useFactory: (screening: ScreenTransfers, rates: RatesStore) =>
            new TransferAndRateStream(screening, rates, {
              topics: config.topics,
              maxMessageBytes: config.screener.maxMessageBytes,
            }),
        },
      ],
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
  registerKafkaCodecs(); // the transport's kafkajs is this process's kafkajs
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(
    StockNestModule.forRoot(
      ScreeningModule.forRoot(config, log, rules),
      config,
      stockHandler(config),
    ),
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
  // This variant reads no reviews: the empty review state is the whole of it (the screener
  // rebuilds it from its effects topic; without the marker every batch would wait for that).
  // Retried: the Redis client may still be connecting (it queues nothing offline).
  const reviews = app.get(ReviewStore);
  for (let attempt = 1; ; attempt += 1) {
    try {
      await reviews.markRebuilt(new Date().toISOString());
      break;
    } catch (error) {
      if (attempt >= 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  // listen() resolves once the consumer has joined its group and started fetching.
  await app.listen();
  log.info('joined consumer group');
  const stop = (): void => {
    void app.close().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
