import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { EventContract } from './event-contract';

/** A decimal amount with exactly two places, as the order service writes it: "128.50". */
export const moneyString = z.string().regex(/^(0|[1-9]\d{0,8})\.\d{2}$/, 'must be a decimal string with 2 places');

export const paymentSucceededV1Schema = z.strictObject({
  eventId: z.uuid(),
  type: z.literal('payment.succeeded'),
  version: z.literal(1),
  occurredAt: z.iso.datetime({ offset: true }),
  data: z.strictObject({
    orderId: z.uuid(),
    userId: z.string().min(1).max(64),
    amount: moneyString,
    currency: z.string().regex(/^[A-Z]{3}$/),
  }),
});

export type PaymentSucceededV1 = z.infer<typeof paymentSucceededV1Schema>;

export const PaymentSucceeded: EventContract<PaymentSucceededV1> = {
  type: 'payment.succeeded',
  version: 1,
  routingKey: 'payment.succeeded',
  schema: paymentSucceededV1Schema,
  logFields: (event) => ({ orderId: event.data.orderId }),
};

/** The topic exchange payment events are published to (before the configured name prefix). */
export const PAYMENT_EVENTS_EXCHANGE = 'payments.events';

export function paymentSucceededV1(data: PaymentSucceededV1['data'], now: Date = new Date(), eventId: string = randomUUID()): PaymentSucceededV1 {
  return { eventId, type: 'payment.succeeded', version: 1, occurredAt: now.toISOString(), data };
}
