import { INestApplication, LoggerService } from '@nestjs/common';
import { ConsumerServiceConfig, Env, loadConsumerServiceConfig } from '@reliable-payments/config';
import { startConsumerService } from '@reliable-payments/consumer-service';
import { COUPON_CONSUMER } from '@reliable-payments/contracts';
import { SpanExporter, Tracing } from '@reliable-payments/tracing';
import { CouponServiceModule } from './coupon-service.module';

export const loadCouponServiceConfig = (env?: Env) =>
  loadConsumerServiceConfig('COUPON', { port: 3001, database: 'coupon_service', serviceName: COUPON_CONSUMER.name }, env);

/** Starts the coupon service; used by main.ts and by tests that run it in-process. */
export function startCouponService(config: ConsumerServiceConfig, logger?: LoggerService | false, spanExporter?: SpanExporter): Promise<INestApplication> {
  return startConsumerService((c, chaos) => CouponServiceModule.register(c, chaos), config, new Tracing(config.observability, spanExporter), logger);
}
