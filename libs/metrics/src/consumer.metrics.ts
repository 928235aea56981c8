import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Counter, Gauge, Histogram } from 'prom-client';
import { DataSource } from 'typeorm';
import { ConsumerObserver, MessagingService } from '@reliable-payments/messaging';
import { MetricsRegistry } from './metrics.registry';

type Snapshot = ReturnType<MessagingService['status']>['consumers'][number];

/**
 * A consumer service's metrics. Counters are read from the consumers' own counters on scrape
 * (nothing extra on the hot path); the two histograms are observed per message; the dead-letter
 * backlog is one indexed COUNT on scrape. Labels: the queue (one per consumer), outcome, level.
 */
@Injectable()
export class ConsumerMetricsExporter implements ConsumerObserver {
  private readonly logger = new Logger(ConsumerMetricsExporter.name);
  private readonly handling: Histogram<'queue' | 'outcome'>;
  private readonly lag: Histogram<'queue'>;

  constructor(
    metrics: MetricsRegistry,
    private readonly messaging: MessagingService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    const registers = [metrics.registry];
    const consumers = () => messaging.status().consumers;
    const main = () => consumers().filter((c) => !c.queue.endsWith('.dlq'));
    const dlq = () => consumers().filter((c) => c.queue.endsWith('.dlq'));
    const counter = (name: string, help: string, labelNames: string[], values: (c: Snapshot) => Array<[Record<string, string>, number]>, of = main) =>
      new Counter({
        name,
        help,
        labelNames: ['queue', ...labelNames],
        registers,
        collect() {
          this.reset();
          for (const c of of()) for (const [labels, n] of values(c)) this.inc({ queue: c.queue, ...labels }, n);
        },
      });
    counter('messages_consumed_total', 'Deliveries settled, by outcome', ['outcome'], (c) => [
      [{ outcome: 'processed' }, c.processed],
      [{ outcome: 'duplicate' }, c.duplicates],
      [{ outcome: 'retried' }, c.retried],
      [{ outcome: 'dead_lettered' }, c.deadLettered],
    ]);
    counter('message_retries_total', 'Messages moved to a retry level, by level (1-based)', ['level'], (c) =>
      Object.entries(c.retriedByLevel).map(([level, n]) => [{ level }, n] as [Record<string, string>, number]),
    );
    counter('dead_letters_redriven_total', 'Dead letters re-driven to the main queue', [], (c) => [[{}, c.redriven]]);
    counter('dead_letters_stored_total', 'Dead letters stored by the dead-letter queue handler', [], (c) => [[{}, c.processed]], dlq);
    new Gauge({
      name: 'consumer_paused',
      help: '1 while the consumer is paused because its dependency is down',
      labelNames: ['queue'],
      registers,
      collect() {
        this.reset();
        for (const c of main()) this.set({ queue: c.queue }, c.state === 'paused' ? 1 : 0);
      },
    });
    const pendingDeadLetters = () => this.pendingDeadLetters();
    new Gauge({
      name: 'dead_letters_pending',
      help: 'Stored dead letters waiting for a re-drive',
      registers,
      async collect() {
        // NaN, not 0, while the database does not answer: unknown is not "none pending".
        this.set((await pendingDeadLetters()) ?? NaN);
      },
    });
    this.handling = new Histogram({
      name: 'message_handling_duration_seconds',
      help: 'Decode and handler time per delivery (the grant transaction included), by outcome',
      labelNames: ['queue', 'outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15],
      registers,
    });
    this.lag = new Histogram({
      name: 'message_end_to_end_lag_seconds',
      help: "From the event's occurredAt to its grant's commit (first processing only)",
      labelNames: ['queue'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 3600],
      registers,
    });
    messaging.observe(this);
  }

  handled(queue: string, outcome: 'processed' | 'duplicate' | 'failed', seconds: number, value: unknown): void {
    this.handling.observe({ queue, outcome }, seconds);
    if (outcome !== 'processed') return;
    // Every event's envelope carries occurredAt (contracts); the dead-letter consumer's raw messages do not.
    const occurredAt = (value as { occurredAt?: unknown } | undefined)?.occurredAt;
    if (typeof occurredAt !== 'string') return;
    const lag = (Date.now() - Date.parse(occurredAt)) / 1000;
    if (Number.isFinite(lag)) this.lag.observe({ queue }, Math.max(0, lag));
  }

  /** The status index (status, id) answers this; undefined when the database does not. */
  private async pendingDeadLetters(): Promise<number | undefined> {
    try {
      const [row] = (await this.dataSource.query("SELECT COUNT(*) AS n FROM dead_letters WHERE status = 'PENDING'")) as Array<{ n: string }>;
      return Number(row.n);
    } catch (error) {
      this.logger.debug(`dead-letter count failed: ${(error as Error).message}`);
      return undefined;
    }
  }
}
