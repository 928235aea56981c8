import { RowDataPacket } from 'mysql2/promise';
import { FaultProxy } from '@reliable-payments/chaos';
import { MessagingService } from '@reliable-payments/messaging';
import { consumerStats, createAndPay, http, TestSystem } from './support/test-system';
import { waitFor } from './support/wait-for';
import { testAmqpEndpoint, testAmqpUrlVia } from '../tools/harness/test-servers';

async function grantCounts(system: TestSystem, service: 'coupon' | 'red-packet', table: string, ids: string[]) {
  const rows = await system.query<RowDataPacket & { order_id: string; n: number }>(
    service,
    `SELECT order_id, COUNT(*) AS n FROM ${table} WHERE order_id IN (?) GROUP BY order_id`,
    [ids],
  );
  return rows.map((r) => Number(r.n));
}

async function expectExactlyOneGrantEach(system: TestSystem, ids: string[], timeoutMs = 30_000) {
  await waitFor(async () => (await grantCounts(system, 'coupon', 'coupons', ids)).length === ids.length, { timeoutMs, message: `${ids.length} coupons` });
  await waitFor(async () => (await grantCounts(system, 'red-packet', 'red_packets', ids)).length === ids.length, {
    timeoutMs,
    message: `${ids.length} red packets`,
  });
  expect((await grantCounts(system, 'coupon', 'coupons', ids)).every((n) => n === 1)).toBe(true);
  expect((await grantCounts(system, 'red-packet', 'red_packets', ids)).every((n) => n === 1)).toBe(true);
}

describe('delivery guarantees', () => {
  describe('a consumer restarted mid-stream', () => {
    const system = new TestSystem();
    afterAll(() => system.cleanup());

    it('grants nothing twice and loses nothing', async () => {
      const { order } = await system.startAll();
      let coupon = system.service('coupon');
      const paying = Promise.all(Array.from({ length: 100 }, (_, i) => createAndPay(order, `${20 + i}.00`, `restart-${i}`)));
      await waitFor(async () => (await system.count('coupon', 'coupons')) >= 10, { message: 'first coupons' });
      await coupon.stop(); // graceful: stop consuming, finish in-flight, close
      const issuedBeforeStop = await system.count('coupon', 'coupons');
      // More orders while it is down, so the restart always finds work waiting (on a fast machine
      // the first hundred could all be granted before the stop completes).
      const paidWhileStopped = await Promise.all(Array.from({ length: 20 }, (_, i) => createAndPay(order, `${5 + i}.00`, `stopped-${i}`)));
      expect(await system.count('coupon', 'coupons')).toBe(issuedBeforeStop);
      coupon = await system.start('coupon');
      const ids = [...(await paying), ...paidWhileStopped];
      expect(issuedBeforeStop).toBeLessThan(ids.length);
      await expectExactlyOneGrantEach(system, ids);
      expect((await consumerStats(coupon)).state).toBe('consuming');
    });
  });

  describe('the relay stopped after the broker confirmed but before marking the row sent', () => {
    const system = new TestSystem();
    afterAll(() => system.cleanup());

    it('re-sends the event and the consumers absorb the duplicate', async () => {
      const { coupon } = await system.startAll({ order: { TEST_CRASH_AT: 'relay-after-confirm:1:throw', OUTBOX_POLL_INTERVAL: '1s' } });
      const crashing = system.service('order');
      const id = await createAndPay(crashing, '80.00', 'crash-user');
      // The event reached the consumer, yet the outbox row is still pending: the crash window.
      await waitFor(async () => (await system.count('coupon', 'coupons', 'order_id = ?', [id])) === 1);
      expect(await system.count('order', 'outbox_messages', 'sent_at IS NULL')).toBe(1);
      await crashing.stop();

      await system.start('order');
      await waitFor(async () => (await system.count('order', 'outbox_messages', 'sent_at IS NULL')) === 0, { message: 'row marked sent after restart' });
      await waitFor(async () => (await consumerStats(coupon)).duplicates >= 1, { message: 'duplicate absorbed' });
      await expectExactlyOneGrantEach(system, [id]);
    });
  });

  describe('the broker connection dropped while publishes await their confirms', () => {
    const system = new TestSystem();
    const proxy = new FaultProxy(testAmqpEndpoint());
    beforeAll(() => proxy.start());
    afterAll(async () => {
      await system.cleanup();
      await proxy.stop();
    });

    it('keeps every row pending until the broker has it, then sends all of them once', async () => {
      await system.startAll({ order: { RABBITMQ_URL: testAmqpUrlVia({ host: '127.0.0.1', port: proxy.port }) } });
      const order = system.service('order');
      const messaging = order.app.get(MessagingService) as MessagingService;

      proxy.setMode('hang'); // publishes leave the client but no confirm comes back
      const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => createAndPay(order, `${5 + i}.00`, `drop-${i}`)));
      await waitFor(() => messaging.publisher.inFlight > 0, { message: 'unconfirmed publishes in flight' });
      proxy.setMode('down'); // the connection is reset under them

      await waitFor(async () => (await http(order, 'GET', '/health')).status === 503, { message: 'health reports the broker down' });
      const health = await http(order, 'GET', '/health');
      expect(health.body.message).toBe('broker down');
      expect(health.body.checks.database.status).toBe('up');
      const pending = await system.count('order', 'outbox_messages', 'sent_at IS NULL');
      expect(pending).toBe(20);
      await waitFor(async () => (await system.count('order', 'outbox_messages', 'attempts > 0 AND last_error IS NOT NULL')) > 0, {
        message: 'failed attempts recorded',
      });

      proxy.setMode('up');
      await waitFor(async () => (await system.count('order', 'outbox_messages', 'sent_at IS NULL')) === 0, {
        timeoutMs: 45_000,
        message: 'all rows sent after reconnect',
      });
      expect((await http(order, 'GET', '/health')).status).toBe(200);
      await expectExactlyOneGrantEach(system, ids);
    });
  });

  describe('two order services (two relays) on one database', () => {
    const system = new TestSystem();
    afterAll(() => system.cleanup());

    it('publish each row once: no consumer sees a duplicate', async () => {
      const { order, coupon, redPacket } = await system.startAll();
      const second = await system.start('order');
      const ids = await Promise.all(Array.from({ length: 100 }, (_, i) => createAndPay(i % 2 ? order : second, `${1 + i}.00`, `two-relays-${i}`)));
      await expectExactlyOneGrantEach(system, ids);
      expect((await consumerStats(coupon)).duplicates).toBe(0);
      expect((await consumerStats(redPacket)).duplicates).toBe(0);
    });
  });
});
