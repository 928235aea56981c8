import { FaultProxy } from '@reliable-payments/chaos';
import { http, RunningService, TestSystem } from './support/test-system';
import { waitFor } from './support/wait-for';
import { mysqlUrl, testMysql } from '../tools/harness/test-servers';

const REQUESTS = 50;
/** The figure: more than the group-commit queue holds (ORDER_QUEUE_LIMIT, 256 by default). */
const BURST = 2_000;
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
  const proxy = new FaultProxy(testMysql());
  beforeAll(() => proxy.start());
  afterAll(async () => {
    proxy.setMode('up');
    await system.cleanup();
    await proxy.stop();
  });

  let order: RunningService;
  beforeAll(async () => {
    order = await system.start('order', { ORDER_DB_URL: mysqlUrl(testMysql(), system.databases.order, { host: '127.0.0.1', port: proxy.port }) });
  });

  /** Warms the pool, hangs the database, sends `requests` creates at once, heals; returns their answers. */
  async function createsWhileHung(requests: number) {
    // Warm the pool first: requests that find an open (now hung) connection are the ones that waited for ever.
    const warm = await Promise.all(Array.from({ length: 200 }, (_, i) => http(order, 'POST', '/orders', { userId: `before-${i}`, amount: '1.00' })));
    expect(warm.every((res) => res.status === 201)).toBe(true);

    proxy.setMode('hang');
    const answers = await Promise.all(Array.from({ length: requests }, (_, i) => timedCreate(order, i)));
    proxy.setMode('up'); // the hung connections are cut; new ones reach the server
    return answers;
  }

  async function expectWorkingAgain() {
    await waitFor(async () => (await http(order, 'POST', '/orders', { userId: 'after', amount: '1.00' })).status === 201, {
      timeoutMs: 30_000,
      message: 'a create succeeds after the hang ends',
    });
    const health = await waitFor(
      async () => {
        const res = await http(order, 'GET', '/health');
        return res.status === 200 ? res : undefined;
      },
      { timeoutMs: 30_000, message: 'health 200 after the hang' },
    );
    expect(health.body.checks.database.status).toBe('up');
  }

  function expectAllAnswered(answers: Array<{ status: number; ms: number; body: unknown }>) {
    expect(answers.filter((a) => a.status === 0)).toHaveLength(0);
    for (const answer of answers) {
      expect([201, 503]).toContain(answer.status);
      expect(answer.ms).toBeLessThan(ANSWER_WITHIN_MS);
      if (answer.status === 503) expect(answer.body).toMatchObject({ statusCode: 503, message: expect.any(String) });
    }
  }

  it(`answers each of ${REQUESTS} concurrent creates (201 or 503) within ${ANSWER_WITHIN_MS / 1000} s, and works again after`, async () => {
    // Before the fix: 50 of 50 unanswered after 20 s (the statements on warm connections never returned).
    expectAllAnswered(await createsWhileHung(REQUESTS));
    await expectWorkingAgain();
  });

  it(`answers ${BURST} at once too: past the group-commit queue at once, the queue with the group that timed out`, async () => {
    // Before the fix: of 2,000, 755 answered within 20 s. Now 503 DB_QUEUE_FULL at once for the
    // overflow, and the rest 503 with the group ahead of them when its statement times out.
    const answers = await createsWhileHung(BURST);
    expectAllAnswered(answers);
    expect(answers.some((a) => (a.body as { message?: string })?.message?.includes('DB_QUEUE_FULL'))).toBe(true);
    await expectWorkingAgain();
  });
});
