import { ConsumerObserver, MessagingService } from '@reliable-payments/messaging';
import { DataSource } from 'typeorm';
import { ConsumerMetricsExporter } from './consumer.metrics';
import { MetricsRegistry } from './metrics.registry';
import { parseSamples, sampleValue } from './prometheus-text';

/** The consumer families read from the consumers' counters on scrape, and the per-message histograms. */
describe('ConsumerMetricsExporter', () => {
  const consumers = [
    { queue: 'coupon.main', state: 'paused', processed: 5, duplicates: 1, retried: 3, retriedByLevel: { 1: 2, 2: 1 }, deadLettered: 1, redriven: 1 },
    { queue: 'coupon.main.dlq', state: 'consuming', processed: 1, duplicates: 0, retried: 0, retriedByLevel: {}, deadLettered: 0, redriven: 0 },
  ];
  let observer: ConsumerObserver | undefined;
  const messaging = { status: () => ({ consumers }), observe: (o: ConsumerObserver) => (observer = o) } as unknown as MessagingService;
  const dataSource = { query: async () => [{ n: '4' }] } as unknown as DataSource;

  it('exports outcomes, retries by level, dead letters and the paused flag', async () => {
    const metrics = new MetricsRegistry({ service: 'coupon-service' });
    new ConsumerMetricsExporter(metrics, messaging, dataSource);
    observer!.handled('coupon.main', 'processed', 0.004, { occurredAt: new Date(Date.now() - 2_000).toISOString() });
    observer!.handled('coupon.main', 'duplicate', 0.002, { occurredAt: new Date().toISOString() });
    const text = await metrics.metrics();
    const samples = parseSamples(text);
    expect(sampleValue(samples, 'messages_consumed_total', { queue: 'coupon.main', outcome: 'processed', service: 'coupon-service' })).toBe(5);
    expect(sampleValue(samples, 'messages_consumed_total', { queue: 'coupon.main', outcome: 'retried', service: 'coupon-service' })).toBe(3);
    expect(sampleValue(samples, 'message_retries_total', { queue: 'coupon.main', level: '1', service: 'coupon-service' })).toBe(2);
    expect(sampleValue(samples, 'message_retries_total', { queue: 'coupon.main', level: '2', service: 'coupon-service' })).toBe(1);
    expect(sampleValue(samples, 'dead_letters_stored_total', { queue: 'coupon.main.dlq', service: 'coupon-service' })).toBe(1);
    expect(sampleValue(samples, 'dead_letters_redriven_total', { queue: 'coupon.main', service: 'coupon-service' })).toBe(1);
    expect(sampleValue(samples, 'consumer_paused', { queue: 'coupon.main', service: 'coupon-service' })).toBe(1);
    expect(sampleValue(samples, 'dead_letters_pending', { service: 'coupon-service' })).toBe(4);
    // Lag only for a first processing (a duplicate's grant committed earlier), about 2 s here.
    expect(sampleValue(samples, 'message_end_to_end_lag_seconds_count', { queue: 'coupon.main', service: 'coupon-service' })).toBe(1);
    expect(sampleValue(samples, 'message_end_to_end_lag_seconds_bucket', { le: '1', queue: 'coupon.main', service: 'coupon-service' })).toBe(0);
    expect(sampleValue(samples, 'message_end_to_end_lag_seconds_bucket', { le: '5', queue: 'coupon.main', service: 'coupon-service' })).toBe(1);
    expect(sampleValue(samples, 'messages_consumed_total', { queue: 'coupon.main.dlq' })).toBeUndefined();
  });

  it('reports the dead-letter gauge as NaN (unknown, not zero) when the database does not answer', async () => {
    const metrics = new MetricsRegistry({ service: 'coupon-service' });
    const down = { query: async () => Promise.reject(new Error('ECONNREFUSED')) } as unknown as DataSource;
    new ConsumerMetricsExporter(metrics, messaging, down);
    const text = await metrics.metrics();
    expect(sampleValue(parseSamples(text), 'dead_letters_pending')).toBeNaN();
  });
});
