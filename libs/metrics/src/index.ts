/**
 * @reliable-payments/metrics — GET /metrics in the Prometheus format (prom-client): process and Node.js metrics, HTTP
 * durations by route template, the outbox and consumer families; bounded labels (no ids), counters read
 * on scrape so the hot path pays only for its histograms.
 */
export * from './metrics.registry';
export * from './metrics.module';
export * from './outbox.metrics';
export * from './consumer.metrics';
export * from './publish-failure-reason';
export * from './prometheus-text';
