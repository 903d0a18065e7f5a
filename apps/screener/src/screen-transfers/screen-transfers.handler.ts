import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { AppConfig } from '@sekimori/config';
import { type BatchOutcome, type ConsumedBatch, TRANSFER_BATCH_PATTERN } from '@sekimori/kafka';
import { APP_CONFIG } from '../infrastructure/tokens';
import { RecordRatesService } from '../record-rates/record-rates.service';
import { ScreenTransfersService } from './screen-transfers.service';

/** Thin transport adapter: routes a consumed batch to its use case by topic. */
@Controller()
export class ScreenTransfersHandler {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly screening: ScreenTransfersService,
    private readonly rates: RecordRatesService,
  ) {}

  @EventPattern(TRANSFER_BATCH_PATTERN)
  handle(@Payload() batch: ConsumedBatch): Promise<BatchOutcome> {
    return batch.topic === this.config.topics.rates
      ? this.rates.record(batch)
      : this.screening.screen(batch);
  }
}
