import { InMemorySpanExporter, ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { RowDataPacket } from 'mysql2/promise';
import { http, RunningService, TestSystem } from './support/test-system';
import { waitFor } from './support/wait-for';

const OPERATOR_TOKEN = 'tracing-test-operator-token';
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

/** One pay is one trace, from the HTTP request through the outbox hop to both consumers, across retries, dead letters and re-drives. */
describe('OpenTelemetry traces', () => {
  const system = new TestSystem();
  const exporter = new InMemorySpanExporter();
  let order: RunningService;
  let coupon: RunningService;

  const service = (span: ReadableSpan) => span.resource.attributes['service.name'];
  const parentId = (span: ReadableSpan) => span.parentSpanContext?.spanId;
  const spansOf = (traceId: string) => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);

  beforeAll(async () => {
    order = await system.start('order', {}, undefined, exporter);
    // A ladder long enough that the test can heal the table between the second and third attempt.
    coupon = await system.start('coupon', { COUPON_RETRY_LADDER: '1s,3s', PAUSE_ON_DEPENDENCY_DOWN: 'false', OPERATOR_TOKEN }, undefined, exporter);
    await system.start('red-packet', {}, undefined, exporter);
  });
  afterAll(() => system.cleanup());

  async function payTraced(traceId: string): Promise<string> {
    const created = await http(order, 'POST', '/orders', { userId: 'traced', amount: '10.00' });
    const paid = await http(order, 'POST', `/orders/${created.body.id}/pay`, undefined, { traceparent: `00-${traceId}-00f067aa0ba902b7-01` });
    expect(paid.status).toBe(200);
    return created.body.id as string;
  }

  it('gives one pay one trace, honouring the caller’s traceparent, with spans of all three services chained through the outbox', async () => {
    await payTraced(TRACE_ID);
    const spans = await waitFor(
      () => {
        const found = spansOf(TRACE_ID);
        return found.filter((s) => s.name.endsWith('grant insert')).length === 2 ? found : undefined;
      },
      { timeoutMs: 30_000, message: 'both grants traced' },
    );
    expect(new Set(spans.map(service))).toEqual(new Set(['order-service', 'coupon-service', 'red-packet-service']));
    const byName = (name: string) => spans.filter((s) => s.name === name);
    const [request] = byName('POST /orders/:id/pay');
    const [transaction] = byName('orders.pay transaction');
    const [publish] = spans.filter((s) => s.name.endsWith('payments.events publish'));
    expect(parentId(request)).toBe('00f067aa0ba902b7');
    expect(parentId(transaction)).toBe(request.spanContext().spanId);
    expect(parentId(publish)).toBe(transaction.spanContext().spanId);
    const consumers = spans.filter((s) => s.name.endsWith('.payment-succeeded process'));
    expect(consumers.map(service).sort()).toEqual(['coupon-service', 'red-packet-service']);
    for (const consumer of consumers) expect(parentId(consumer)).toBe(publish.spanContext().spanId);
    for (const grant of byName('coupon grant insert').concat(byName('red packet grant insert'))) {
      expect(consumers.map((c) => c.spanContext().spanId)).toContain(parentId(grant));
    }
  });

  it('records nothing of a trace the caller sampled out, and carries it, not sampled, through the outbox', async () => {
    const traceId = 'aaaabbbbccccdddd0000000000000003';
    const created = await http(order, 'POST', '/orders', { userId: 'untraced', amount: '10.00' });
    const id = created.body.id as string;
    const paid = await http(order, 'POST', `/orders/${id}/pay`, undefined, { traceparent: `00-${traceId}-00f067aa0ba902b7-00` });
    expect(paid.status).toBe(200);
    await waitFor(
      async () =>
        (await system.count('coupon', 'coupons', 'order_id = ?', [id])) + (await system.count('red-packet', 'red_packets', 'order_id = ?', [id])) === 2,
      {
        timeoutMs: 30_000,
        message: 'both grants of the untraced pay',
      },
    );
    const [row] = await system.query<{ traceparent: string } & RowDataPacket>(
      'order',
      "SELECT traceparent FROM outbox_messages WHERE JSON_VALUE(payload, '$.data.orderId') = ?",
      [id],
    );
    expect(row.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-00$`));
    expect(spansOf(traceId)).toEqual([]);
  });

  it('keeps the trace when the coupon consumer retried twice', async () => {
    const traceId = 'aaaabbbbccccdddd0000000000000001';
    await system.query('coupon', 'RENAME TABLE coupons TO coupons_away');
    let renamedBack = false;
    try {
      const id = await payTraced(traceId);
      await waitFor(() => spansOf(traceId).filter((s) => s.name.endsWith('.payment-succeeded process') && service(s) === 'coupon-service').length >= 2, {
        timeoutMs: 30_000,
        message: 'two failed coupon attempts',
      });
      await system.query('coupon', 'RENAME TABLE coupons_away TO coupons');
      renamedBack = true;
      await waitFor(async () => (await system.count('coupon', 'coupons', 'order_id = ?', [id])) === 1, {
        timeoutMs: 30_000,
        message: 'coupon after the retries',
      });
    } finally {
      if (!renamedBack) await system.query('coupon', 'RENAME TABLE coupons_away TO coupons');
    }
    const attempts = await waitFor(
      () => {
        const found = spansOf(traceId).filter((s) => s.name.endsWith('.payment-succeeded process') && service(s) === 'coupon-service');
        return found.length === 3 ? found : undefined;
      },
      { timeoutMs: 10_000, message: 'three coupon attempts in the trace' },
    );
    expect(attempts.map((s) => s.attributes['messaging.attempt']).sort()).toEqual([1, 2, 3]);
    expect(attempts.filter((s) => s.status.code === 2)).toHaveLength(2); // ERROR for the two failures
    const grants = spansOf(traceId).filter((s) => s.name === 'coupon grant insert');
    expect(grants.map((s) => s.status.code).sort()).toEqual([0, 2, 2]); // the insert failed twice, then succeeded
    const [publish] = spansOf(traceId).filter((s) => s.name.endsWith('payments.events publish'));
    for (const attempt of attempts) expect(parentId(attempt)).toBe(publish.spanContext().spanId);
  });

  it('keeps the trace through the dead-letter row and a re-drive', async () => {
    const traceId = 'aaaabbbbccccdddd0000000000000002';
    await system.query('coupon', 'RENAME TABLE coupons TO coupons_away');
    let id: string;
    try {
      id = await payTraced(traceId);
      await waitFor(async () => (await system.count('coupon', 'dead_letters', "status = 'PENDING' AND attempts = 3")) === 1, {
        timeoutMs: 30_000,
        message: 'dead-lettered after the ladder',
      });
    } finally {
      await system.query('coupon', 'RENAME TABLE coupons_away TO coupons');
    }
    const [letter] = await system.query<{ id: number } & RowDataPacket>(
      'coupon',
      "SELECT id FROM dead_letters WHERE status = 'PENDING' ORDER BY id DESC LIMIT 1",
    );
    const redriven = await http(coupon, 'POST', `/dead-letters/${letter.id}/redrive`, undefined, { authorization: `Bearer ${OPERATOR_TOKEN}` });
    expect(redriven.status).toBe(200);
    await waitFor(async () => (await system.count('coupon', 'coupons', 'order_id = ?', [id!])) === 1, {
      timeoutMs: 30_000,
      message: 'coupon after the re-drive',
    });
    const spans = await waitFor(
      () => {
        const found = spansOf(traceId).filter((s) => service(s) === 'coupon-service');
        return found.some((s) => s.name === 'coupon grant insert' && s.status.code !== 2) ? found : undefined;
      },
      { timeoutMs: 10_000, message: 'the re-driven grant in the trace' },
    );
    expect(spans.some((s) => s.name.endsWith('.dlq process'))).toBe(true); // the dead-letter store
    const processed = spans.filter((s) => s.name.endsWith('.payment-succeeded process'));
    expect(processed.length).toBe(4); // three failures, then the re-driven delivery
  });
});
