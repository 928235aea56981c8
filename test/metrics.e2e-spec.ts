import { RawPublisher } from './support/raw-publisher';
import { familyNames, parseSamples, sampleValue } from '@reliable-payments/metrics';
import { createAndPay, RunningService, TestSystem } from './support/test-system';
import { waitFor } from './support/wait-for';

async function scrape(service: RunningService) {
  const res = await fetch(`${service.url}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  const text = await res.text();
  return { text, samples: parseSamples(text), families: familyNames(text) };
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** GET /metrics on every service: the families, real values, bounded labels. */
describe('Prometheus metrics', () => {
  const system = new TestSystem();
  let order: RunningService;
  let coupon: RunningService;
  let redPacket: RunningService;

  beforeAll(async () => {
    ({ order, coupon, redPacket } = await system.startAll());
  });
  afterAll(() => system.cleanup());

  it('counts a paid order through the outbox and both consumers, with route templates and no ids as labels', async () => {
    const ids = await Promise.all([1, 2, 3].map((i) => createAndPay(order, `${i}0.00`, `metrics-${i}`)));
    await waitFor(async () => sampleValue((await scrape(coupon)).samples, 'messages_consumed_total', { outcome: 'processed' }) === 3, {
      timeoutMs: 30_000,
      message: 'coupon processed 3',
    });
    await waitFor(async () => sampleValue((await scrape(redPacket)).samples, 'messages_consumed_total', { outcome: 'processed' }) === 3, {
      timeoutMs: 30_000,
      message: 'red packet processed 3',
    });

    const o = await scrape(order);
    for (const family of [
      'outbox_pending_messages',
      'outbox_oldest_pending_age_seconds',
      'outbox_published_total',
      'outbox_publish_failures_total',
      'outbox_relay_batch_duration_seconds',
      'http_request_duration_seconds',
      'process_cpu_seconds_total',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(o.families).toContain(family);
    }
    expect(sampleValue(o.samples, 'outbox_published_total')).toBe(3);
    expect(sampleValue(o.samples, 'outbox_pending_messages')).toBe(0);
    expect(sampleValue(o.samples, 'outbox_oldest_pending_age_seconds')).toBe(0);
    expect(sampleValue(o.samples, 'outbox_publish_failures_total', { reason: 'nack' })).toBe(0);
    expect(sampleValue(o.samples, 'outbox_relay_batch_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(
      sampleValue(o.samples, 'http_request_duration_seconds_count', { route: '/orders/:id/pay', method: 'POST', status: '200', service: 'order-service' }),
    ).toBe(3);
    expect(sampleValue(o.samples, 'http_request_duration_seconds_count', { route: '/orders', method: 'POST', status: '201' })).toBe(3);
    // Ids never become labels: the raw paths of the requests above appear nowhere.
    expect(o.text).not.toMatch(UUID);
    for (const id of ids) expect(o.text).not.toContain(id);

    for (const service of [coupon, redPacket]) {
      const c = await scrape(service);
      for (const family of [
        'messages_consumed_total',
        'message_retries_total',
        'message_handling_duration_seconds',
        'message_end_to_end_lag_seconds',
        'consumer_paused',
        'dead_letters_pending',
        'dead_letters_stored_total',
        'dead_letters_redriven_total',
        'http_request_duration_seconds',
      ]) {
        expect(c.families).toContain(family);
      }
      expect(sampleValue(c.samples, 'message_end_to_end_lag_seconds_count')).toBe(3);
      expect(sampleValue(c.samples, 'message_handling_duration_seconds_count', { outcome: 'processed' })).toBe(3);
      expect(sampleValue(c.samples, 'consumer_paused')).toBe(0);
      expect(sampleValue(c.samples, 'dead_letters_pending')).toBe(0);
      expect(c.text).not.toMatch(UUID);
    }
  });

  it('counts a poison message as dead-lettered, stored and pending', async () => {
    const publisher = await new RawPublisher().open();
    try {
      await publisher.publish(`${system.prefix}payments.events`, 'payment.succeeded', 'not json', {
        contentType: 'application/json',
        messageId: 'poison-metrics-1',
      });
    } finally {
      await publisher.close();
    }
    const c = await waitFor(
      async () => {
        const scraped = await scrape(coupon);
        // The row commits before the handler returns and the delivery is counted: wait for both.
        return sampleValue(scraped.samples, 'dead_letters_pending') === 1 && sampleValue(scraped.samples, 'dead_letters_stored_total') === 1
          ? scraped
          : undefined;
      },
      { timeoutMs: 30_000, message: 'one dead letter stored and pending' },
    );
    expect(sampleValue(c.samples, 'messages_consumed_total', { outcome: 'dead_lettered' })).toBe(1);
    expect(sampleValue(c.samples, 'message_handling_duration_seconds_count', { outcome: 'failed' })).toBe(1);
    expect(c.text).not.toContain('poison-metrics-1');
  });
});
