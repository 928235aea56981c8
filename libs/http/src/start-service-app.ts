import { DynamicModule, INestApplication, LoggerService, Type } from '@nestjs/common';
import { HttpServerConfig, LogLevelName, logLevelsFrom, ObservabilityConfig } from '@reliable-payments/config';
import { Tracing, TracingModule } from '@reliable-payments/tracing';
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
 * every line), and the tracer the application made (`new Tracing(config.observability)`: off
 * unless configured). The tracer is the application's, never this library's: one per process.
 */
export function startServiceApp(
  module: Type<unknown> | DynamicModule,
  config: ServiceAppConfig,
  tracing: Tracing,
  logger?: LoggerService | false,
): Promise<INestApplication> {
  return startHttpApp(module, {
    port: config.port,
    http: config.http,
    logger,
    logLevels: logLevelsFrom(config.logLevel),
    service: config.observability.serviceName,
    logFormat: config.observability.logFormat,
    imports: [TracingModule.register(tracing)],
  });
}
