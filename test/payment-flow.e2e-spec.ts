import { RowDataPacket } from 'mysql2/promise';
import { createAndPay, http, RunningService, TestSystem } from './support/test-system';
import { waitFor } from './support/wait-for';

/** Orders paid end to end: order service → outbox → RabbitMQ → coupon and red-packet services. */
describe('payment events end to end', () => {
  const system = new TestSystem();
  let order: RunningService;
  let coupon: RunningService;
  let redPacket: RunningService;

  beforeAll(async () => {
    ({ order, coupon, redPacket } = await system.startAll());
  });
  afterAll(() => system.cleanup());

  async function grantsPerOrder(service: 'coupon' | 'red-packet', table: string, orderIds: string[]) {
    const rows = await system.query<RowDataPacket & { order_id: string; n: number }>(
      service,
      `SELECT order_id, COUNT(*) AS n FROM ${table} WHERE order_id IN (?) GROUP BY order_id`,
      [orderIds],
    );
    return new Map(rows.map((r) => [r.order_id, Number(r.n)]));
  }

  it('issues exactly one coupon and one red packet for each of 100 orders paid concurrently', async () => {
    const ids = await Promise.all(Array.from({ length: 100 }, (_, i) => createAndPay(order, `${10 + i}.50`, `user-${i % 7}`)));
    expect(new Set(ids).size).toBe(100);

    await waitFor(async () => (await grantsPerOrder('coupon', 'coupons', ids)).size === 100, { timeoutMs: 30_000, message: '100 coupons' });
    await waitFor(async () => (await grantsPerOrder('red-packet', 'red_packets', ids)).size === 100, { timeoutMs: 30_000, message: '100 red packets' });

    const coupons = await grantsPerOrder('coupon', 'coupons', ids);
    const packets = await grantsPerOrder('red-packet', 'red_packets', ids);
    expect([...coupons.values()].every((n) => n === 1)).toBe(true);
    expect([...packets.values()].every((n) => n === 1)).toBe(true);
    expect(await system.count('order', 'outbox_messages', 'sent_at IS NULL')).toBe(0);
  });

  it('shows the grants over each service REST API', async () => {
    const id = await createAndPay(order, '123.45', 'user-api');
    const coupons = await waitFor(async () => {
      const res = await http(coupon, 'GET', `/coupons?orderId=${id}`);
      return res.body.length === 1 && res.body;
    });
    expect(coupons[0]).toMatchObject({ orderId: id, userId: 'user-api', value: '12.35', currency: 'CNY' });
    expect(coupons[0].code).toMatch(/^CPN-[0-9A-F]{12}$/);
    const packets = await waitFor(async () => {
      const res = await http(redPacket, 'GET', `/red-packets?orderId=${id}`);
      return res.body.length === 1 && res.body;
    });
    expect(packets[0]).toMatchObject({ orderId: id, userId: 'user-api', amount: '6.17', currency: 'CNY' });
    expect(packets[0].eventId).toBe(coupons[0].eventId);
  });

  it('publishes one event when an order is paid twice, or by racing calls, with the same paidAt', async () => {
    const created = await http(order, 'POST', '/orders', { userId: 'racer', amount: 50 });
    const id = created.body.id as string;
    const results = await Promise.all(Array.from({ length: 8 }, () => http(order, 'POST', `/orders/${id}/pay`)));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(new Set(results.map((r) => r.body.paidAt)).size).toBe(1);
    const again = await http(order, 'POST', `/orders/${id}/pay`);
    expect(again.body.paidAt).toBe(results[0].body.paidAt);
    expect(await system.count('order', 'outbox_messages', `payload LIKE ?`, [`%${id}%`])).toBe(1);
    await waitFor(async () => (await system.count('coupon', 'coupons', 'order_id = ?', [id])) === 1);
    await waitFor(async () => (await system.count('red-packet', 'red_packets', 'order_id = ?', [id])) === 1);
  });

  it('answers each of many concurrent pays on its own, though they share transactions: paid, already paid or 404', async () => {
    const fresh = await Promise.all(Array.from({ length: 12 }, (_, i) => http(order, 'POST', '/orders', { userId: `group-${i}`, amount: '20.00' })));
    const freshIds = fresh.map((r) => r.body.id as string);
    const alreadyPaid = await createAndPay(order, '30.00', 'group-paid');
    const before = await http(order, 'GET', `/orders/${alreadyPaid}`);
    const unknown = Array.from({ length: 4 }, (_, i) => `00000000-0000-4000-8000-00000000000${i}`);

    // Sent together: the order service groups them into shared transactions (ORDER_BATCH_SIZE).
    const [paid, repaid, missing] = await Promise.all([
      Promise.all(freshIds.map((id) => http(order, 'POST', `/orders/${id}/pay`))),
      http(order, 'POST', `/orders/${alreadyPaid}/pay`),
      Promise.all(unknown.map((id) => http(order, 'POST', `/orders/${id}/pay`))),
    ]);

    expect(paid.map((r) => [r.status, r.body.status])).toEqual(Array(12).fill([200, 'PAID']));
    expect(repaid).toMatchObject({ status: 200, body: { status: 'PAID', paidAt: before.body.paidAt } });
    expect(missing.map((r) => r.status)).toEqual([404, 404, 404, 404]);
    for (const id of [...freshIds, alreadyPaid]) {
      expect(await system.count('order', 'outbox_messages', 'payload LIKE ?', [`%${id}%`])).toBe(1);
    }
    await waitFor(async () => (await grantsPerOrder('coupon', 'coupons', freshIds)).size === 12, { timeoutMs: 30_000, message: '12 coupons' });
  });

  it('answers GET /orders/:id with 200, 404 and 400', async () => {
    const created = await http(order, 'POST', '/orders', { userId: 'getter', amount: '1.00', currency: 'USD' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ userId: 'getter', amount: '1.00', currency: 'USD', status: 'CREATED' });
    expect((await http(order, 'GET', `/orders/${created.body.id}`)).body).toEqual(created.body);
    const missing = await http(order, 'GET', '/orders/00000000-0000-4000-8000-000000000000');
    expect(missing).toMatchObject({ status: 404, body: { statusCode: 404, error: 'Not Found' } });
    const payMissing = await http(order, 'POST', '/orders/00000000-0000-4000-8000-000000000000/pay');
    expect(payMissing.status).toBe(404);
    const malformed = await http(order, 'GET', '/orders/not-a-uuid');
    expect(malformed).toMatchObject({ status: 400, body: { statusCode: 400, error: 'Bad Request' } });
    expect((await http(order, 'POST', '/orders/not-a-uuid/pay')).status).toBe(400);
  });

  it('rejects malformed input with a clear 4xx and writes nothing', async () => {
    const before = await system.count('order', 'orders');
    const cases: Array<[unknown, number]> = [
      [{}, 400],
      [{ userId: 'u' }, 400],
      [{ userId: 'u', amount: 0 }, 400],
      [{ userId: 'u', amount: -5 }, 400],
      [{ userId: 'u', amount: '1000000.01' }, 400],
      [{ userId: 'u', amount: '1.234' }, 400],
      [{ userId: 'u', amount: 0.1 + 0.2 }, 400],
      [{ userId: 'u', amount: true }, 400],
      [{ userId: 42, amount: '1.00' }, 400],
      [{ userId: 'x'.repeat(65), amount: '1.00' }, 400],
      [{ userId: 'u', amount: '1.00', currency: 'cny' }, 400],
      [{ userId: 'u', amount: '1.00', admin: true }, 400],
      [[{ userId: 'u', amount: '1.00' }], 400],
      ['{"userId": "u", "amount": ', 400],
      [JSON.stringify({ userId: 'u', amount: '1.00', pad: 'x'.repeat(20_000) }), 413],
    ];
    for (const [body, status] of cases) {
      const headers: Record<string, string> = typeof body === 'string' ? { 'content-type': 'application/json' } : {};
      const res = await http(order, 'POST', '/orders', body, headers);
      expect({ body, status: res.status }).toEqual({ body, status });
      expect(res.body).toMatchObject({ statusCode: status, error: expect.any(String), message: expect.any(String) });
    }
    const textPlain = await http(order, 'POST', '/orders', 'userId=u&amount=1', { 'content-type': 'text/plain' });
    expect(textPlain.status).toBe(415);
    const unknownRoute = await http(order, 'POST', '/nowhere', { a: 1 });
    expect(unknownRoute).toMatchObject({ status: 404, body: { statusCode: 404 } });
    expect(await system.count('order', 'orders')).toBe(before);
  });

  it('reports health of database and broker', async () => {
    for (const service of [order, coupon, redPacket]) {
      const res = await http(service, 'GET', '/health');
      expect(res).toMatchObject({ status: 200, body: { status: 'ok', checks: { database: { status: 'up' }, broker: { status: 'up' } } } });
    }
  });
});
