import { consumerConfigVariables } from './consumer-service.config';
import { orderEnvSchema } from './order-service.config';

/**
 * The three services' configuration, each read and validated once at start: the order service
 * (order-service.config.ts), the consumer services (consumer-service.config.ts), built from shared
 * pieces (broker.config.ts, schema-parts.ts, observability.config.ts).
 */
export * from './broker.config';
export * from './schema-parts';
export * from './order-service.config';
export * from './consumer-service.config';

/** Every variable a service reads: lets deployment files be checked for typos. */
export function configVariables(service: 'order' | 'coupon' | 'red-packet'): string[] {
  if (service === 'order') return Object.keys(orderEnvSchema.shape);
  return consumerConfigVariables(service === 'coupon' ? 'COUPON' : 'RED_PACKET');
}
