import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { type BatchOutcome, type ConsumedBatch, TRANSFER_BATCH_PATTERN } from '@sekimori/kafka';
import { ScreeningStream } from '@sekimori/screening';

/** Thin transport adapter: a consumed batch to the screening stream (transfers or rates). */
@Controller()
export class ScreenTransfersHandler {
  constructor(private readonly stream: ScreeningStream) {}

  @EventPattern(TRANSFER_BATCH_PATTERN)
  handle(@Payload() batch: ConsumedBatch): Promise<BatchOutcome> {
    return this.stream.handle(batch);
  }
}
