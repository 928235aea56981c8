import { DynamicModule, Injectable, Module, OnModuleInit, Type } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { installHttpMetrics } from './http-metrics';
import { MetricsController } from './metrics.controller';
import { MetricsOptions, MetricsRegistry } from './metrics.registry';

/** Adds the HTTP duration hook before the server starts listening. */
@Injectable()
class HttpMetricsHook implements OnModuleInit {
  constructor(
    private readonly adapter: HttpAdapterHost,
    private readonly metrics: MetricsRegistry,
  ) {}

  onModuleInit(): void {
    installHttpMetrics(this.adapter.httpAdapter.getInstance<FastifyInstance>(), this.metrics.registry);
  }
}

/**
 * `GET /metrics` (Prometheus, prom-client): Node.js and process metrics, HTTP durations, and the
 * service's own families from `exporters` (e.g. `OutboxMetrics`, `ConsumerMetricsExporter`).
 */
@Module({})
export class MetricsModule {
  static register(options: MetricsOptions & { exporters?: Type<unknown>[] }): DynamicModule {
    return {
      module: MetricsModule,
      controllers: [MetricsController],
      providers: [{ provide: MetricsRegistry, useFactory: () => new MetricsRegistry(options) }, HttpMetricsHook, ...(options.exporters ?? [])],
      exports: [MetricsRegistry],
    };
  }
}
