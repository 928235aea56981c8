import { randomUUID } from 'node:crypto';
import { IdempotentCreate } from '../apps/order-service/src/orders/idempotent-create.service';
import { http, RunningService, TestSystem } from './support/test-system';

/**
 * Issue 20, finding 6: Idempotency-Key on POST /orders was ignored (the same key with 5.00 and
 * 7.00 created two orders). As the IETF draft has it: same key and body → the same order again;
 * another body → 422; a concurrent duplicate → 409; keys go after their retention.
 */
describe('Idempotency-Key on POST /orders', () => {
  const system = new TestSystem();
  let order: RunningService;

  beforeAll(async () => {
    order = await system.start('order');
  }, 60_000);
  afterAll(() => system.cleanup());

  const create = (key: string, amount: string, userId = 'idem-user') => http(order, 'POST', '/orders', { userId, amount }, { 'idempotency-key': key });

  it('answers the same order for the same key and body, and creates one', async () => {
    const key = randomUUID();
    const first = await create(key, '5.00', `idem-${key}`);
    const again = await create(key, '5.00', `idem-${key}`);
    expect(first.status).toBe(201);
    expect(again).toEqual({ status: 201, body: first.body });
    expect(await system.count('order', 'orders', 'user_id = ?', [`idem-${key}`])).toBe(1);
  });

  it('refuses the same key with another body: 422, nothing created', async () => {
    const key = randomUUID();
    expect((await create(key, '5.00', `idem-${key}`)).status).toBe(201);
    const other = await create(key, '7.00', `idem-${key}`);
    expect(other).toMatchObject({ status: 422, body: { statusCode: 422, error: 'Unprocessable Entity' } });
    expect(await system.count('order', 'orders', 'user_id = ?', [`idem-${key}`])).toBe(1);
  });

  it('answers concurrent duplicates 201 with the one order or 409, never a second order', async () => {
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 10 }, () => create(key, '9.00', `idem-${key}`)));
    const created = answers.filter((a) => a.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((a) => a.body.id)).size).toBe(1);
    expect(answers.every((a) => a.status === 201 || a.status === 409)).toBe(true);
    expect(await system.count('order', 'orders', 'user_id = ?', [`idem-${key}`])).toBe(1);
  });

  it('refuses a malformed key with 400', async () => {
    expect((await create('bad key with spaces', '5.00')).status).toBe(400);
  });

  it('forgets a key past its retention (cleanup), after which it creates anew', async () => {
    const key = randomUUID();
    const first = await create(key, '5.00', `idem-${key}`);
    await system.query('order', 'UPDATE idempotency_keys SET created_at = created_at - INTERVAL 2 DAY');
    expect(await order.app.get(IdempotentCreate).cleanup()).toBeGreaterThanOrEqual(1);
    const later = await create(key, '5.00', `idem-${key}`);
    expect(later.status).toBe(201);
    expect(later.body.id).not.toBe(first.body.id);
  });
});
