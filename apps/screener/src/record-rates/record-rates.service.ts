import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { AppConfig } from '@sekimori/config';
import { decodeInput, type Rate } from '@sekimori/contracts';
import { type BatchOutcome, type ConsumedBatch, type OutboundRecord } from '@sekimori/kafka';
import { RatesStore } from '../enrichment/rates.store';
import { BatchReport } from '../observability/batch-report';
import { APP_CONFIG, LOGGER } from '../infrastructure/tokens';
import { ScreeningMetrics } from '../observability/screening-metrics';

/**
 * Rates from `rates.v1` go into Redis, so that every screener instance values a transfer with
 * the same latest rate. A bad rate message is dead-lettered like any bad input.
 */
@Injectable()
export class RecordRatesService {
  constructor(
    @Inject(APP_CONFIG) readonly config: AppConfig,
    @Inject(LOGGER) readonly log: Logger,
    private readonly rates: RatesStore,
    readonly metrics: ScreeningMetrics,
  ) {}

  async record(batch: ConsumedBatch): Promise<BatchOutcome> {
    const report = new BatchReport(this, batch);
    const records: OutboundRecord[] = [];
    const valid: Rate[] = [];
    for (const message of batch.messages) {
      const decoded = decodeInput(message.value, 'rate', this.config.screener.maxMessageBytes);
      if (decoded.ok) {
        valid.push(decoded.value);
        continue;
      }
      records.push(report.deadLetter(message, decoded));
    }
    if (valid.length > 0) await this.rates.putMany(valid);
    return { records, delivered: report.delivered };
  }
}
