import { Injectable, Logger } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { OutboxRelay, RelayObserver } from '@reliable-payments/outbox';
import { MetricsRegistry } from './metrics.registry';
import { publishFailureReason } from './publish-failure-reason';

/** Shares one backlog query between the gauges of one scrape (and scrapes within a second). */
const BACKLOG_CACHE_MS = 1_000;

/**
 * The order service's outbox metrics. The backlog gauges run the relay's backlog query on scrape
 * (the pending index: `sent_at IS NULL`); the published count is read from the relay's own
 * counter; only failures and batch durations are pushed, once per batch or failure.
 */
@Injectable()
export class OutboxMetrics implements RelayObserver {
  private readonly logger = new Logger(OutboxMetrics.name);
  private readonly batchDuration: Histogram;
  private readonly failures: Counter<'reason'>;
  private backlog?: { at: number; value: ReturnType<OutboxRelay['backlog']> };

  constructor(
    metrics: MetricsRegistry,
    private readonly relay: OutboxRelay,
  ) {
    const registers = [metrics.registry];
    const readBacklog = () => this.readBacklog();
    const stats = relay.stats;
    new Gauge({
      name: 'outbox_pending_messages',
      help: 'Outbox rows not yet confirmed by the broker',
      registers,
      async collect() {
        // NaN, not 0, while the database does not answer: unknown is not "nothing pending".
        this.set((await readBacklog())?.pending ?? NaN);
      },
    });
    new Gauge({
      name: 'outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest outbox row not yet confirmed (0 when none)',
      registers,
      async collect() {
        const backlog = await readBacklog();
        if (!backlog) this.set(NaN);
        else this.set(backlog.oldestPendingAt ? Math.max(0, (Date.now() - Date.parse(backlog.oldestPendingAt)) / 1000) : 0);
      },
    });
    new Counter({
      name: 'outbox_published_total',
      help: 'Outbox rows published, confirmed and marked sent',
      registers,
      collect() {
        this.reset();
        this.inc(stats.published);
      },
    });
    this.failures = new Counter({
      name: 'outbox_publish_failures_total',
      help: 'Outbox publishes that failed (row stays pending with a backoff), by reason',
      labelNames: ['reason'],
      registers,
    });
    for (const reason of ['nack', 'return', 'timeout', 'closed', 'other']) this.failures.inc({ reason }, 0);
    this.batchDuration = new Histogram({
      name: 'outbox_relay_batch_duration_seconds',
      help: 'One claim-publish-mark relay transaction, for batches that claimed rows',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    relay.observer = this;
  }

  batch(seconds: number): void {
    this.batchDuration.observe(seconds);
  }

  publishFailed(error: unknown): void {
    this.failures.inc({ reason: publishFailureReason(error) });
  }

  /** undefined when the database does not answer. */
  private async readBacklog() {
    const now = Date.now();
    if (!this.backlog || now - this.backlog.at > BACKLOG_CACHE_MS) this.backlog = { at: now, value: this.relay.backlog() };
    return this.backlog.value.catch((error: Error) => {
      this.logger.debug(`backlog query failed: ${error.message}`);
      return undefined;
    });
  }
}
