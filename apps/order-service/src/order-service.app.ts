import { INestApplication, LoggerService } from '@nestjs/common';
import { logLevelsFrom, OrderServiceConfig } from '@app/config';
import { startHttpApp } from '@app/http';
import { SpanExporter, Tracing, TracingModule } from '@app/tracing';
import { OrderServiceModule } from './order-service.module';

/** Starts the order service; used by main.ts and by tests that run it in-process. */
export function startOrderService(config: OrderServiceConfig, logger?: LoggerService | false, spanExporter?: SpanExporter): Promise<INestApplication> {
  return startHttpApp(OrderServiceModule.register(config), {
    port: config.port,
    logger,
    logLevels: logLevelsFrom(config.logLevel),
    service: config.observability.serviceName,
    logFormat: config.observability.logFormat,
    imports: [TracingModule.register(new Tracing(config.observability, spanExporter))],
  });
}
