import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { FaultProxy } from '@reliable-payments/chaos';
import { asOperator, consumerStats, createAndPay, http, RunningService, TestSystem } from './support/test-system';
import { paymentEvent, RawPublisher } from './support/raw-publisher';
import { waitFor } from './support/wait-for';
import { mysqlUrl, testMysql } from '../tools/harness/test-servers';

const EXCHANGE = 'payments.events';
const ROUTING_KEY = 'payment.succeeded';

/**
 * A test system whose coupon service reaches its database through a fault proxy, so "down" is a
 * real network failure for the driver. Registers its own start and clean-up hooks.
 */
function withCouponDbProxy() {
  const system = new TestSystem();
  const proxy = new FaultProxy(testMysql());
  beforeAll(() => proxy.start());
  afterAll(async () => {
    await system.cleanup();
    await proxy.stop();
  });
  /** Coupon-service environment pointing at the proxy, plus `extra`. */
  const couponEnv = (extra: Record<string, string>) => ({
    COUPON_DB_URL: mysqlUrl(testMysql(), system.databases.coupon, { host: '127.0.0.1', port: proxy.port }),
    ...extra,
  });
  return { system, proxy, couponEnv };
}

describe('retry ladder and dead letters', () => {
  describe('poison messages', () => {
    const system = new TestSystem();
    const raw = new RawPublisher();
    const alerts: Array<Record<string, unknown>> = [];
    const webhook = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        alerts.push(JSON.parse(body));
        res.writeHead(204).end();
      });
    });
    let coupon: RunningService;
    beforeAll(async () => {
      await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/alerts`;
      ({ coupon } = await system.startAll({ coupon: { ALERT_WEBHOOK_URL: url } }));
      await raw.open();
    });
    afterAll(async () => {
      await raw.close();
      await system.cleanup();
      await new Promise((resolve) => webhook.close(resolve));
    });

    it('go straight to the dead-letter table with attempts = 1 while valid messages flow', async () => {
      const exchange = `${system.prefix}${EXCHANGE}`;
      const json = { contentType: 'application/json' };
      const valid = Array.from({ length: 10 }, () => paymentEvent());
      const missingFields = paymentEvent() as any;
      delete missingFields.data.orderId;
      const version99 = { ...paymentEvent(), version: 99 };
      const big = Buffer.alloc(2 * 1024 * 1024, 'x');
      const poison: Array<[string, Buffer | string, object]> = [
        ['INVALID_JSON', '{"eventId": nope', json],
        ['SCHEMA_INVALID', JSON.stringify(missingFields), { ...json, messageId: missingFields.eventId }],
        ['UNSUPPORTED_VERSION', JSON.stringify(version99), { ...json, messageId: version99.eventId }],
        ['MESSAGE_TOO_LARGE', big, json],
        ['UNSUPPORTED_CONTENT_TYPE', JSON.stringify(paymentEvent()), { contentType: 'text/plain' }],
      ];
      const started = Date.now();
      for (let i = 0; i < valid.length; i++) {
        await raw.publish(exchange, ROUTING_KEY, JSON.stringify(valid[i]), { ...json, messageId: valid[i].eventId });
        const bad = poison[i];
        if (bad) await raw.publish(exchange, ROUTING_KEY, bad[1], bad[2]);
      }
      await waitFor(async () => (await system.count('coupon', 'dead_letters')) === poison.length, { timeoutMs: 10_000, message: 'poison stored' });
      const elapsed = Date.now() - started;
      const rows = await system.query<any>('coupon', 'SELECT error_code, attempts, reason, error_class, dead_lettered_at FROM dead_letters ORDER BY id');
      expect(rows.map((r) => r.error_code).sort()).toEqual(poison.map((p) => p[0]).sort());
      expect(rows.every((r) => r.attempts === 1 && r.reason === 'permanent' && r.error_class === 'permanent')).toBe(true);
      // "within a second" of publishing, with head-room for a loaded CI machine
      expect(elapsed).toBeLessThan(3_000);

      await waitFor(async () => (await system.count('coupon', 'coupons')) === valid.length, { message: 'valid messages processed' });
      // The grant commits before its delivery is counted (after the ack): the last count can lag the row (CI, 3 December: 9 of 10).
      await waitFor(async () => (await consumerStats(coupon)).processed === valid.length, { message: 'every processed delivery counted' });
      const stats = await consumerStats(coupon);
      expect(stats).toMatchObject({ processed: valid.length, retried: 0, deadLettered: poison.length, pauses: 0 });
      expect(await raw.queueDepth(`${system.queue('coupon')}.dlq`)).toBe(0);

      const list = await http(coupon, 'GET', '/dead-letters?status=PENDING&limit=2&page=1', undefined, asOperator);
      expect(list.body).toMatchObject({ total: poison.length, page: 1, limit: 2 });
      expect(list.body.items).toHaveLength(2);
      const one = await http(coupon, 'GET', `/dead-letters/${list.body.items[0].id}`, undefined, asOperator);
      expect(one.body).toMatchObject({ status: 'PENDING', attempts: 1 });
      const payload = await http(coupon, 'GET', `/dead-letters/${list.body.items[0].id}/payload`, undefined, asOperator);
      expect(payload.body).toMatchObject({ payloadEncoding: 'utf8' });
      expect((await http(coupon, 'GET', '/dead-letters/999999999', undefined, asOperator)).status).toBe(404);
      expect((await http(coupon, 'GET', '/dead-letters/abc', undefined, asOperator)).status).toBe(400);
      expect((await http(coupon, 'GET', '/dead-letters?status=NOPE', undefined, asOperator)).status).toBe(400);

      // Each stored dead letter raised one alert, posted to the webhook.
      await waitFor(() => alerts.length === poison.length, { message: 'webhook alerts' });
      expect(alerts.map((a) => a.errorCode).sort()).toEqual(poison.map((p) => p[0]).sort());
      expect((await http(coupon, 'GET', '/health')).body.checks.deadLetters).toMatchObject({
        pending: poison.length,
        alertsRaised: poison.length,
        webhookFailures: 0,
      });
    });
  });

  describe('a coupon database outage shorter than the ladder', () => {
    const { system, proxy, couponEnv } = withCouponDbProxy();

    it('retries through the levels in order with their delays, then issues exactly one coupon each', async () => {
      const ladder = [500, 1000, 2000, 4000, 8000, 16000];
      const { order, coupon } = await system.startAll({
        coupon: couponEnv({
          COUPON_RETRY_LADDER: ladder.map((ms) => `${ms}ms`).join(','),
          PAUSE_ON_DEPENDENCY_DOWN: 'false',
        }),
      });
      proxy.setMode('down');
      const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => createAndPay(order, `${30 + i}.00`, `outage-${i}`)));

      // The red-packet service does not notice the coupon database is gone.
      await waitFor(async () => (await system.count('red-packet', 'red_packets', 'order_id IN (?)', [ids])) === 20, { timeoutMs: 10_000 });
      await waitFor(async () => (await http(coupon, 'GET', '/health')).status === 503);
      expect((await http(coupon, 'GET', '/health')).body.message).toBe('database down');
      await waitFor(async () => ((await consumerStats(coupon)).retriedByLevel[3] ?? 0) >= 1, { timeoutMs: 20_000, message: 'messages reached level 3' });

      proxy.setMode('up');
      await waitFor(async () => (await system.count('coupon', 'coupons', 'order_id IN (?)', [ids])) === 20, { timeoutMs: 40_000, message: '20 coupons' });
      const perOrder = await system.query<any>('coupon', 'SELECT COUNT(*) AS n FROM coupons GROUP BY order_id');
      expect(perOrder.every((r) => Number(r.n) === 1)).toBe(true);
      expect(await system.count('coupon', 'dead_letters')).toBe(0);

      const stats = await consumerStats(coupon);
      // Every message failed at least once; levels were climbed in order (n+1 only after n).
      expect(stats.retriedByLevel[1]).toBeGreaterThanOrEqual(20);
      for (let level = 2; level <= 3; level++) {
        expect(stats.retriedByLevel[level - 1]).toBeGreaterThanOrEqual(stats.retriedByLevel[level]);
      }
      expect(stats.deadLettered).toBe(0);
      // Each level's wait is at least its TTL and not much more (tolerance: 1.5 s on a busy 2-core box).
      for (const level of [1, 2, 3]) {
        const observed = stats.retryDelays[level];
        expect(observed.minMs).toBeGreaterThanOrEqual(ladder[level - 1] - 50);
        expect(observed.maxMs).toBeLessThanOrEqual(ladder[level - 1] + 1_500);
      }
      expect((await http(coupon, 'GET', '/health')).status).toBe(200);
    });
  });

  describe('a coupon database outage longer than the ladder', () => {
    const { system, proxy, couponEnv } = withCouponDbProxy();

    it('dead-letters the messages, stores them once the database is back, and a re-drive issues one coupon each', async () => {
      const { order, coupon } = await system.startAll({
        coupon: couponEnv({
          COUPON_RETRY_LADDER: '200ms,400ms',
          PAUSE_ON_DEPENDENCY_DOWN: 'false',
        }),
      });
      proxy.setMode('down');
      const ids = await Promise.all(Array.from({ length: 10 }, (_, i) => createAndPay(order, `${40 + i}.00`, `long-${i}`)));
      await waitFor(async () => (await consumerStats(coupon)).deadLettered >= 10, { timeoutMs: 15_000, message: 'all moved to the DLQ' });

      proxy.setMode('up');
      await waitFor(async () => (await system.count('coupon', 'dead_letters')) === 10, { timeoutMs: 30_000, message: 'dead letters stored' });
      const letters = await system.query<any>('coupon', 'SELECT reason, attempts, error_class, error_code, error_message FROM dead_letters');
      expect(letters.every((l) => l.reason === 'retries-exhausted' && l.attempts === 3 && l.error_class === 'transient')).toBe(true);
      expect(letters.every((l) => l.error_code.length > 0 && l.error_message.length > 0)).toBe(true);
      expect(await system.count('coupon', 'coupons')).toBe(0);

      const redrive = await http(coupon, 'POST', '/dead-letters/redrive', undefined, asOperator);
      expect(redrive).toMatchObject({ status: 200, body: { redriven: 10, failed: 0 } });
      await waitFor(async () => (await system.count('coupon', 'coupons', 'order_id IN (?)', [ids])) === 10, {
        timeoutMs: 15_000,
        message: 'coupons after re-drive',
      });

      // Re-driving again grants nothing twice.
      const first = (await http(coupon, 'GET', '/dead-letters?status=REDRIVEN', undefined, asOperator)).body;
      expect(first.total).toBe(10);
      expect((await http(coupon, 'POST', `/dead-letters/${first.items[0].id}/redrive`, undefined, asOperator)).status).toBe(409);
      expect((await http(coupon, 'POST', '/dead-letters/redrive', undefined, asOperator)).body).toMatchObject({ redriven: 0 });
      const raw = await new RawPublisher().open();
      try {
        expect(await raw.queueDepth(`${system.queue('coupon')}.dlq`)).toBe(0);
      } finally {
        await raw.close();
      }
      const perOrder = await system.query<any>('coupon', 'SELECT COUNT(*) AS n FROM coupons GROUP BY order_id');
      expect(perOrder.map((r) => Number(r.n))).toEqual(Array(10).fill(1));
      expect((await consumerStats(coupon)).redriven).toBe(10);
    });
  });

  describe('the pause-on-dependency-down policy', () => {
    const { system, proxy, couponEnv } = withCouponDbProxy();

    it('stops consuming while the database is down instead of burning the ladder, then resumes', async () => {
      const { order, coupon } = await system.startAll({
        coupon: couponEnv({
          COUPON_RETRY_LADDER: '200ms,400ms',
          COUPON_PREFETCH: '2',
          PAUSE_ON_DEPENDENCY_DOWN: 'true',
        }),
      });
      proxy.setMode('down');
      const ids = await Promise.all(Array.from({ length: 10 }, (_, i) => createAndPay(order, `${50 + i}.00`, `pause-${i}`)));
      await waitFor(async () => (await consumerStats(coupon)).state === 'paused', { message: 'consumer paused' });
      // Paused: messages wait in the main queue rather than climbing to the DLQ.
      await waitFor(async () => (await system.count('order', 'outbox_messages', 'sent_at IS NULL')) === 0);
      const whilePaused = await consumerStats(coupon);
      expect(whilePaused.deadLettered).toBe(0);
      expect(whilePaused.retried).toBeLessThan(10);

      proxy.setMode('up');
      await waitFor(async () => (await system.count('coupon', 'coupons', 'order_id IN (?)', [ids])) === 10, {
        timeoutMs: 30_000,
        message: 'coupons after resume',
      });
      const after = await consumerStats(coupon);
      expect(after.state).toBe('consuming');
      expect(after.pauses).toBeGreaterThanOrEqual(1);
      expect(await system.count('coupon', 'dead_letters')).toBe(0);
    });
  });

  describe('a restart with a different ladder', () => {
    const { system, proxy, couponEnv } = withCouponDbProxy();

    it('declares the new levels without PRECONDITION_FAILED and loses nothing waiting in the old ones', async () => {
      const withLadder = (ladder: string) => couponEnv({ COUPON_RETRY_LADDER: ladder, PAUSE_ON_DEPENDENCY_DOWN: 'false' });
      const { order, coupon } = await system.startAll({ coupon: withLadder('200ms,4s') });
      proxy.setMode('down');
      const ids = await Promise.all(Array.from({ length: 5 }, (_, i) => createAndPay(order, `${60 + i}.00`, `ladder-${i}`)));
      await waitFor(async () => ((await consumerStats(coupon)).retriedByLevel[2] ?? 0) >= 5, { timeoutMs: 10_000, message: 'all waiting in the 4s level' });
      await coupon.stop();
      proxy.setMode('up');

      const restarted = await system.start('coupon', withLadder('1s,2s'));
      expect((await consumerStats(restarted)).state).toBe('consuming');
      const raw = await new RawPublisher().open();
      try {
        expect(await raw.queueDepth(`${system.queue('coupon')}.retry.2s`)).toBe(0);
      } finally {
        await raw.close();
      }
      // The 4s level no longer exists in the ladder; its messages still expire back into the main queue.
      await waitFor(async () => (await system.count('coupon', 'coupons', 'order_id IN (?)', [ids])) === 5, {
        timeoutMs: 15_000,
        message: 'coupons after ladder change',
      });
      expect(await system.count('coupon', 'dead_letters')).toBe(0);
    });
  });

  describe('automatic re-drive (DEAD_LETTER_REDRIVE_INTERVAL)', () => {
    const { system, proxy, couponEnv } = withCouponDbProxy();

    it('re-drives letters whose retries ran out, without an operator', async () => {
      const { order, coupon } = await system.startAll({
        coupon: couponEnv({
          COUPON_RETRY_LADDER: '200ms',
          PAUSE_ON_DEPENDENCY_DOWN: 'false',
          DEAD_LETTER_REDRIVE_INTERVAL: '500ms',
        }),
      });
      proxy.setMode('down');
      const ids = await Promise.all(Array.from({ length: 3 }, (_, i) => createAndPay(order, `${20 + i}.00`, `auto-${i}`)));
      await waitFor(async () => (await consumerStats(coupon)).deadLettered >= 3, { message: 'dead-lettered' });
      proxy.setMode('up');
      await waitFor(async () => (await system.count('coupon', 'coupons', 'order_id IN (?)', [ids])) === 3, {
        timeoutMs: 20_000,
        message: 'coupons after automatic re-drive',
      });
      // The re-drive marks a letter REDRIVEN in the transaction that holds its lock, committed just
      // after the confirmed publish: a fast consumer can grant before that commit, so wait for it.
      await waitFor(async () => (await system.count('coupon', 'dead_letters', "status = 'REDRIVEN'")) === 3, {
        timeoutMs: 5_000,
        message: 'three letters REDRIVEN',
      });
    });
  });
});
