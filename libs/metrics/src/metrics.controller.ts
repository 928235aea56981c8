import { Controller, Get, Header } from '@nestjs/common';
import { Registry } from 'prom-client';
import { MetricsRegistry } from './metrics.registry';

/**
 * `GET /metrics` for Prometheus. Not an operator route: counts, durations and backlogs only, no
 * message, id or payload (label values are route templates, queue names, outcomes and levels).
 */
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsRegistry) {}

  @Get()
  @Header('content-type', Registry.PROMETHEUS_CONTENT_TYPE)
  scrape(): Promise<string> {
    return this.metrics.metrics();
  }
}
