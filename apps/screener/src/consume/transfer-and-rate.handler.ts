import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { type BatchOutcome, type ConsumedBatch, TRANSFER_BATCH_PATTERN } from '@sekimori/kafka';
import { TransferAndRateStream } from '@sekimori/screening-kafka';

/** Thin transport adapter: a consumed batch of transfers or rates to the stream adapter. */
@Controller()
export class TransferAndRateHandler {
  constructor(private readonly stream: TransferAndRateStream) {}

  @EventPattern(TRANSFER_BATCH_PATTERN)
  handle(@Payload() batch: ConsumedBatch): Promise<BatchOutcome> {
    return this.stream.handle(batch);
  }
}
