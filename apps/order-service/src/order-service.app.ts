import { INestApplication, LoggerService } from '@nestjs/common';
import { OrderServiceConfig } from '@reliable-payments/config';
import { startServiceApp } from '@reliable-payments/http';
import { SpanExporter, Tracing } from '@reliable-payments/tracing';
import { OrderServiceModule } from './order-service.module';

/** Starts the order service, with its tracer (`spanExporter` lets a test collect the spans); used by main.ts and by tests that run it in-process. */
export function startOrderService(config: OrderServiceConfig, logger?: LoggerService | false, spanExporter?: SpanExporter): Promise<INestApplication> {
  return startServiceApp(OrderServiceModule.register(config), config, new Tracing(config.observability, spanExporter), logger);
}
