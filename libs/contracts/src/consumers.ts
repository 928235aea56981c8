import { EventContract } from './event-contract';
import { PaymentSucceeded } from './payment-succeeded.event';

/**
 * A service that consumes an event, under its one name. The name is the service's name (logs,
 * traces, metrics, broker connection and broker user), the key of its inbox rows (dedupe) and
 * the stem of its queues (`consumerQueue` in @reliable-payments/messaging derives them from name and event).
 * Renaming a consumer therefore renames its queues and its inbox key: both need a migration.
 */
export interface ConsumerDescriptor<Name extends string = string> {
  readonly name: Name;
  /** The event its queue receives. */
  readonly event: EventContract<unknown>;
}

/** Grants one coupon per paid order. */
export const COUPON_CONSUMER = { name: 'coupon-service', event: PaymentSucceeded } as const satisfies ConsumerDescriptor;
/** Grants one red packet per paid order. */
export const RED_PACKET_CONSUMER = { name: 'red-packet-service', event: PaymentSucceeded } as const satisfies ConsumerDescriptor;

/** Every consumer of the payment events, in pipeline order (coupons first). */
export const CONSUMERS = [COUPON_CONSUMER, RED_PACKET_CONSUMER] as const;
/** The consumers' names, as a tuple (for a validated route parameter). */
export const CONSUMER_NAMES = [COUPON_CONSUMER.name, RED_PACKET_CONSUMER.name] as const;
export type ConsumerName = (typeof CONSUMER_NAMES)[number];
