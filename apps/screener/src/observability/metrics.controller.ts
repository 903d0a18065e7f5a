import { Controller, Get, Header } from '@nestjs/common';
import { Registry } from 'prom-client';
import { ScreeningMetrics } from './screening-metrics';

/** Prometheus scrape endpoint (text exposition format 0.0.4). */
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: ScreeningMetrics) {}

  @Get()
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
