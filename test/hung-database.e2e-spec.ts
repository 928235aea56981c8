import { FaultProxy } from '@app/chaos';
import { http, RunningService, TestSystem } from './support/test-system';
import { waitFor } from './support/wait-for';

const REQUESTS = 50;
const ANSWER_WITHIN_MS = 20_000;

/** One create, timed; `status` 0 when no answer came within the bound. */
async function timedCreate(order: RunningService, i: number): Promise<{ status: number; ms: number; body: unknown }> {
  const started = Date.now();
  try {
    const response = await fetch(`${order.url}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: `hung-${i}`, amount: '10.00' }),
      signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
    });
    return { status: response.status, ms: Date.now() - started, body: await response.json() };
  } catch {
    return { status: 0, ms: Date.now() - started, body: undefined };
  }
}

/**
 * The order database hangs: connections stay open and nothing answers (a fault proxy in front of
 * it that stops reading). Every request must still get an answer, from the query time-out, the
 * bounded wait for a connection, or the bounded group-commit queue, instead of waiting for ever.
 */
describe('the order database hangs', () => {
  const system = new TestSystem();
  const proxy = new FaultProxy({ host: '127.0.0.1', port: 3306 });
  beforeAll(() => proxy.start());
  afterAll(async () => {
    proxy.setMode('up');
    await system.cleanup();
    await proxy.stop();
  });

  it(`answers each of ${REQUESTS} concurrent creates (201 or 503) within ${ANSWER_WITHIN_MS / 1000} s, and works again after`, async () => {
    const order = await system.start('order', { ORDER_DB_URL: `mysql://root@127.0.0.1:${proxy.port}/${system.databases.order}` });
    // Warm the pool first: requests that find an open (now hung) connection are the ones that waited for ever.
    const warm = await Promise.all(Array.from({ length: 200 }, (_, i) => http(order, 'POST', '/orders', { userId: `before-${i}`, amount: '1.00' })));
    expect(warm.every((res) => res.status === 201)).toBe(true);

    proxy.setMode('hang');
    const answers = await Promise.all(Array.from({ length: REQUESTS }, (_, i) => timedCreate(order, i)));
    expect(answers.filter((a) => a.status === 0)).toHaveLength(0); // before the fix: 50 of 50 unanswered after 20 s
    for (const answer of answers) {
      expect([201, 503]).toContain(answer.status);
      expect(answer.ms).toBeLessThan(ANSWER_WITHIN_MS);
      if (answer.status === 503) expect(answer.body).toMatchObject({ statusCode: 503, message: expect.any(String) });
    }

    proxy.setMode('up'); // the hung connections are cut; new ones reach the server
    await waitFor(async () => (await http(order, 'POST', '/orders', { userId: 'after', amount: '1.00' })).status === 201, {
      timeoutMs: 30_000,
      message: 'a create succeeds after the hang ends',
    });
    const health = await waitFor(async () => {
      const res = await http(order, 'GET', '/health');
      return res.status === 200 ? res : undefined;
    }, { timeoutMs: 30_000, message: 'health 200 after the hang' });
    expect(health.body.checks.database.status).toBe('up');
  });
});
