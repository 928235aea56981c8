import { collectDefaultMetrics, Registry } from 'prom-client';

export interface MetricsOptions {
  /** Value of the `service` label on every series (order-service, coupon-service, …). */
  service: string;
}

/**
 * One Prometheus registry per application (never prom-client's global one: the tests run three
 * services in one process), with Node.js and process metrics and a `service` label on everything.
 */
export class MetricsRegistry {
  readonly registry = new Registry();

  constructor(options: MetricsOptions) {
    this.registry.setDefaultLabels({ service: options.service });
    collectDefaultMetrics({ register: this.registry });
  }

  /** The Prometheus text exposition of every metric. */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
