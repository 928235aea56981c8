import { DynamicModule, INestApplication, LoggerService, Type } from '@nestjs/common';
import { HttpServerConfig, LogLevelName, logLevelsFrom, ObservabilityConfig } from '@app/config';
import { SpanExporter, Tracing, TracingModule } from '@app/tracing';
import { startHttpApp } from './http-app';

/** What every service's configuration says about its HTTP app. */
export interface ServiceAppConfig {
  port: number;
  http: HttpServerConfig;
  logLevel: LogLevelName;
  observability: ObservabilityConfig;
}

/**
 * Starts one of the three services the same way: its port, its log level and format (`service` on
 * every line), and its tracer (off unless configured; `spanExporter` lets a test collect spans).
 */
export function startServiceApp(module: Type<unknown> | DynamicModule, config: ServiceAppConfig, logger?: LoggerService | false, spanExporter?: SpanExporter): Promise<INestApplication> {
  return startHttpApp(module, {
    port: config.port,
    http: config.http,
    logger,
    logLevels: logLevelsFrom(config.logLevel),
    service: config.observability.serviceName,
    logFormat: config.observability.logFormat,
    imports: [TracingModule.register(new Tracing(config.observability, spanExporter))],
  });
}
