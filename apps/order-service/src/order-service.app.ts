import { INestApplication, LoggerService } from '@nestjs/common';
import { OrderServiceConfig } from '@app/config';
import { startServiceApp } from '@app/http';
import { SpanExporter } from '@app/tracing';
import { OrderServiceModule } from './order-service.module';

/** Starts the order service; used by main.ts and by tests that run it in-process. */
export function startOrderService(config: OrderServiceConfig, logger?: LoggerService | false, spanExporter?: SpanExporter): Promise<INestApplication> {
  return startServiceApp(OrderServiceModule.register(config), config, logger, spanExporter);
}
