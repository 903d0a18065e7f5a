import { type CustomTransportStrategy, Server } from '@nestjs/microservices';
import { lastValueFrom, defaultIfEmpty } from 'rxjs';
import { BatchConsumer, type BatchConsumerOptions } from './batch-consumer';
import { type BatchOutcome, type ConsumedBatch, TRANSFER_BATCH_PATTERN } from './records';

/**
 * A Nest microservice transport over kafkajs' eachBatch. The stock Nest Kafka transport hands
 * over one message at a time and retries a failing message forever; screening wants the whole
 * batch (one Redis round trip for all its addresses, one produce for all its alerts) and a
 * commit only after the batch's output is acknowledged.
 *
 * Handlers register with `@EventPattern(TRANSFER_BATCH_PATTERN)` and return a BatchOutcome.
 */
export class KafkaBatchTransport extends Server implements CustomTransportStrategy {
  private consumer: BatchConsumer | null = null;

  constructor(private readonly options: BatchConsumerOptions) {
    super();
  }

  listen(callback: (error?: unknown) => void): void {
    const handler = this.getHandlerByPattern(TRANSFER_BATCH_PATTERN);
    if (!handler) {
      callback(new Error(`no handler registered for ${TRANSFER_BATCH_PATTERN}`));
      return;
    }
    this.consumer = new BatchConsumer(this.options);
    this.consumer
      .start(async (batch: ConsumedBatch) => {
        const result = this.transformToObservable(await handler(batch));
        return lastValueFrom(result.pipe(defaultIfEmpty({ records: [] }))) as Promise<BatchOutcome>;
      })
      .then(() => callback(), callback);
  }

  get batchConsumer(): BatchConsumer | null {
    return this.consumer;
  }

  async close(): Promise<void> {
    await this.consumer?.stop();
  }

  on(): never {
    throw new Error('KafkaBatchTransport does not emit events; use BatchObserver');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }
}
