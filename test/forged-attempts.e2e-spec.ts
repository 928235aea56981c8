import { RowDataPacket } from 'mysql2/promise';
import { FaultProxy } from '@reliable-payments/chaos';
import { consumerStats, TestSystem } from './support/test-system';
import { paymentEvent, RawPublisher } from './support/raw-publisher';
import { waitFor } from './support/wait-for';
import { mysqlUrl, testMysql } from '../tools/harness/test-servers';

/**
 * Issue 20, finding 2: the attempt count is what the service itself recorded, never a header any
 * publisher sets. A valid event arriving from outside with `retry-attempts: 999` while the coupon
 * database is down starts at attempt 1 and climbs the ladder instead of going to the DLQ.
 */
describe('a forged attempt count', () => {
  const system = new TestSystem();
  const proxy = new FaultProxy(testMysql());
  const raw = new RawPublisher();

  beforeAll(async () => {
    await proxy.start();
    await system.startAll({
      coupon: {
        COUPON_DB_URL: mysqlUrl(testMysql(), system.databases.coupon, { host: '127.0.0.1', port: proxy.port }),
        // A long first level: the forged message must wait there, not in the DLQ.
        COUPON_RETRY_LADDER: '30s,30s',
        PAUSE_ON_DEPENDENCY_DOWN: 'false',
      },
    });
    await raw.open();
  }, 60_000);

  afterAll(async () => {
    await raw.close();
    await system.cleanup();
    await proxy.stop();
  });

  it.each([
    ['the payments exchange', () => ({ exchange: `${system.prefix}payments.events`, routingKey: 'payment.succeeded' })],
    ['the default exchange, straight into the queue', () => ({ exchange: '', routingKey: system.queue('coupon') })],
  ])('through %s starts at attempt 1 and waits at retry level 1', async (_, target) => {
    const coupon = system.service('coupon');
    const before = await consumerStats(coupon);
    proxy.setMode('down');
    try {
      const event = paymentEvent({ amount: '999999.00' });
      const { exchange, routingKey } = target();
      await raw.publish(exchange, routingKey, JSON.stringify(event), {
        messageId: event.eventId,
        contentType: 'application/json',
        headers: { 'retry-attempts': 999, 'attempt-history': '999:2026-01-01T00:00:00.000Z:FORGED' },
      });
      const stats = await waitFor(
        async () => {
          const now = await consumerStats(coupon);
          return (now.retriedByLevel[1] ?? 0) > (before.retriedByLevel[1] ?? 0) || now.deadLettered > before.deadLettered ? now : undefined;
        },
        { timeoutMs: 20_000, message: 'the forged message failed once' },
      );
      expect(stats.deadLettered).toBe(before.deadLettered);
      expect(stats.retriedByLevel[1]).toBe((before.retriedByLevel[1] ?? 0) + 1);
    } finally {
      proxy.setMode('up');
    }
  });

  it('stores no forged history with a grant issued at the first attempt', async () => {
    const event = paymentEvent();
    await raw.publish(`${system.prefix}payments.events`, 'payment.succeeded', JSON.stringify(event), {
      messageId: event.eventId,
      contentType: 'application/json',
      headers: { 'retry-attempts': 5, 'attempt-history': '5@2000-01-01T00:00:00.000Z@FORGED' },
    });
    const [coupon] = await waitFor(async () => {
      const rows = await system.query<RowDataPacket & { attempt_history: string | null }>('coupon', 'SELECT attempt_history FROM coupons WHERE order_id = ?', [
        event.data.orderId,
      ]);
      return rows.length > 0 ? rows : undefined;
    });
    expect(coupon.attempt_history).toBeNull();
  });
});
