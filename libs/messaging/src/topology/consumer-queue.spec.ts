import { COUPON_CONSUMER, CONSUMERS, PaymentSucceeded, RED_PACKET_CONSUMER } from '@reliable-payments/contracts';
import { consumerQueue } from './consumer-queue';

describe('consumerQueue', () => {
  it('keeps the queue names deployed brokers and the compose demo hold', () => {
    expect(consumerQueue(COUPON_CONSUMER)).toBe('coupon-service.payment-succeeded');
    expect(consumerQueue(RED_PACKET_CONSUMER)).toBe('red-packet-service.payment-succeeded');
  });

  it('gives every consumer a queue of its own', () => {
    const queues = CONSUMERS.map(consumerQueue);
    expect(new Set(queues).size).toBe(CONSUMERS.length);
  });

  it.each(['coupons.v2', 'Coupon-Service', '', 'coupon-', 'coupon service'])('refuses the consumer name %p', (name) => {
    expect(() => consumerQueue({ name, event: PaymentSucceeded })).toThrow('must be lower-case words joined by dashes');
  });
});
