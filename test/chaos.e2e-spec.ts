import { asOperator, consumerStats, createAndPay, http, TEST_OPERATOR_TOKEN, TestSystem } from './support/test-system';
import { waitFor } from './support/wait-for';

describe('chaos toggle', () => {
  describe('when disabled', () => {
    const system = new TestSystem();
    afterAll(() => system.cleanup());

    it('refuses every chaos request', async () => {
      const coupon = await system.start('coupon');
      expect((await http(coupon, 'GET', '/chaos')).status).toBe(401);
      expect((await http(coupon, 'GET', '/chaos', undefined, asOperator)).status).toBe(403);
      const post = await http(coupon, 'POST', '/chaos/db', { mode: 'down' }, asOperator);
      expect(post).toMatchObject({ status: 403, body: { statusCode: 403, message: expect.stringContaining('CHAOS_ENABLED') } });
      expect((await http(coupon, 'DELETE', '/chaos/db', undefined, asOperator)).status).toBe(403);
      expect((await http(coupon, 'GET', '/health')).status).toBe(200);
    });
  });

  describe('when enabled', () => {
    const system = new TestSystem({ CHAOS_ENABLED: 'true', HANDLER_TIMEOUT: '1s', PAUSE_ON_DEPENDENCY_DOWN: 'false' });
    const auth = asOperator;
    afterAll(() => system.cleanup());

    it('requires the token and validates the fault', async () => {
      const coupon = await system.start('coupon');
      expect((await http(coupon, 'GET', '/chaos')).status).toBe(401);
      expect((await http(coupon, 'GET', '/chaos', undefined, { authorization: `Bearer ${TEST_OPERATOR_TOKEN}x` })).status).toBe(401);
      // The old header is no longer a way in.
      expect((await http(coupon, 'GET', '/chaos', undefined, { 'x-chaos-token': TEST_OPERATOR_TOKEN })).status).toBe(401);
      expect(await http(coupon, 'GET', '/chaos', undefined, auth)).toMatchObject({ status: 200, body: { enabled: true, database: { mode: 'up' } } });
      for (const bad of [{ mode: 'explode' }, { mode: 'down', durationSeconds: -1 }, { mode: 'slow', latencyMs: 'lots' }, { mode: 'down', extra: 1 }, {}]) {
        const res = await http(coupon, 'POST', '/chaos/db', bad, auth);
        expect({ bad, status: res.status }).toEqual({ bad, status: 400 });
      }
      await coupon.stop();
    });

    it('down: cuts the database for real, heals on DELETE, and every order still gets one coupon', async () => {
      const { order, coupon } = await system.startAll();
      const down = await http(coupon, 'POST', '/chaos/db', { mode: 'down' }, auth);
      expect(down).toMatchObject({ status: 200, body: { database: { mode: 'down' } } });
      await waitFor(async () => (await http(coupon, 'GET', '/health')).body.message === 'database down');
      const ids = await Promise.all(Array.from({ length: 5 }, (_, i) => createAndPay(order, `${70 + i}.00`, `chaos-${i}`)));
      await waitFor(async () => (await consumerStats(coupon)).retried >= 5, { message: 'failures climb the ladder' });
      expect((await http(coupon, 'DELETE', '/chaos/db', undefined, auth)).body.database.mode).toBe('up');
      await waitFor(async () => (await system.count('coupon', 'coupons', 'order_id IN (?)', [ids])) === 5, { timeoutMs: 20_000 });
      expect(await system.count('coupon', 'coupons')).toBe(5);
    });

    it('durationSeconds heals by itself', async () => {
      const coupon = system.service('coupon');
      const res = await http(coupon, 'POST', '/chaos/db', { mode: 'down', durationSeconds: 1 }, auth);
      expect(res.body.database.healsAt).toEqual(expect.any(String));
      await waitFor(async () => (await http(coupon, 'GET', '/chaos', undefined, auth)).body.database.mode === 'up', { timeoutMs: 5_000 });
      await waitFor(async () => (await http(coupon, 'GET', '/health')).status === 200);
    });

    it('hang: the service times out instead of waiting forever, and recovers', async () => {
      const order = system.service('order');
      const coupon = system.service('coupon');
      await http(coupon, 'POST', '/chaos/db', { mode: 'hang', durationSeconds: 3 }, auth);
      const ids = await Promise.all(Array.from({ length: 3 }, (_, i) => createAndPay(order, `${80 + i}.00`, `hang-${i}`)));
      const health = await http(coupon, 'GET', '/health');
      expect(health).toMatchObject({ status: 503, body: { message: 'database down' } });
      await waitFor(async () => (await system.count('coupon', 'coupons', 'order_id IN (?)', [ids])) === 3, {
        timeoutMs: 30_000,
        message: 'coupons after the hang',
      });
      const rows = await system.query<any>('coupon', 'SELECT order_id, COUNT(*) AS n FROM coupons GROUP BY order_id HAVING n > 1');
      expect(rows).toEqual([]);
    });

    it('slow: adds latency but loses nothing', async () => {
      const order = system.service('order');
      const coupon = system.service('coupon');
      await http(coupon, 'POST', '/chaos/db', { mode: 'slow', latencyMs: 50 }, auth);
      expect((await http(coupon, 'GET', '/chaos', undefined, auth)).body.database).toMatchObject({ mode: 'slow', latencyMs: 50 });
      const id = await createAndPay(order, '90.00', 'slow-user');
      await waitFor(async () => (await system.count('coupon', 'coupons', 'order_id = ?', [id])) === 1, { timeoutMs: 20_000 });
      await http(coupon, 'DELETE', '/chaos/db', undefined, auth);
    });
  });
});
