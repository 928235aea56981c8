import { ConsumerDescriptor } from '@reliable-payments/contracts';

/** Lower-case words joined by dashes: no dot, so the name never blurs into the event or a queue suffix. */
const CONSUMER_NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * A consumer's main queue, before the name prefix: its name, a dot, and the event's routing key
 * with dots as dashes (`coupon-service.payment-succeeded`). The one place a queue name is made
 * from a consumer's name. Deployed brokers and the broker users' permission patterns
 * (deploy/rabbitmq/definitions.json) hold these names: a change here renames live queues.
 */
export function consumerQueue(consumer: ConsumerDescriptor): string {
  if (!CONSUMER_NAME.test(consumer.name)) throw new Error(`consumer name "${consumer.name}" must be lower-case words joined by dashes`);
  return `${consumer.name}.${consumer.event.routingKey.replaceAll('.', '-')}`;
}
