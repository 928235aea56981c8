import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { BehaviorSubject } from 'rxjs';
import { ConsoleConfig } from '@reliable-payments/config';
import { CONSUMER_NAMES, ConsumerName } from '@reliable-payments/contracts';
import { CONSOLE_CONFIG, ConsoleServices } from '../console.options';
import { computeLedger, ConsumerReading, LedgerReading } from '../ledger/ledger';
import { PayLoadService } from '../load/pay-load.service';
import { OrderNamer } from './order-namer';
import { publicSnapshot } from './public-snapshot';
import { RedriveJobTracker } from './redrive-job-tracker';
import { QueueDepths } from './queue-depths';
import { readConsumer, readDeadLetterRows, seriesPoint } from './snapshot.reads';
import { ConsumerView, PublicSnapshot, SeriesPoint, Snapshot } from './snapshot.types';

const SERIES_SECONDS = 300;

/**
 * Reads every source once per interval, for all viewers at once, and publishes one snapshot
 * (JSON serialised once) to the API and the event stream. Sources are read in pipeline order: the
 * order service, then per consumer its main queue, its unacked deliveries (/health), its retry
 * levels and dead-letter queue, and last its grants and dead letters.
 */
@Injectable()
export class SnapshotService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SnapshotService.name);
  private readonly depths: QueueDepths;
  private readonly namer: OrderNamer;
  private timer?: NodeJS.Timeout;
  private polling = false;
  private previous?: LedgerReading;
  private lastConsumers?: Record<ConsumerName, ConsumerView>;
  private lastOrder = { up: false, problem: 'not read yet' as string | null, paid: 0, created: 0, outboxPending: 0 };
  private readonly series: SeriesPoint[] = [];
  /**
   * The latest snapshot, full and public, each serialised once and shared by every viewer:
   * operators get `json`, anyone else `publicJson` (`publicSnapshot`: counts only).
   */
  readonly snapshots = new BehaviorSubject<{ snapshot: Snapshot; json: string; public: PublicSnapshot; publicJson: string } | null>(null);

  constructor(
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
    private readonly services: ConsoleServices,
    private readonly load: PayLoadService,
    private readonly jobs: RedriveJobTracker,
  ) {
    this.depths = new QueueDepths(config.broker.url);
    this.namer = new OrderNamer(services);
  }

  onApplicationBootstrap(): void {
    void this.poll();
    this.timer = setInterval(() => void this.poll(), this.config.pollIntervalMs);
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.depths.close();
  }

  get latest(): Snapshot | undefined {
    return this.snapshots.value?.snapshot;
  }

  get latestPublic(): PublicSnapshot | undefined {
    return this.snapshots.value?.public;
  }

  /** One reading; a slow one makes the next interval skip rather than overlap. */
  async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      this.publish(await this.read());
    } catch (error) {
      this.logger.error(`snapshot failed: ${(error as Error).stack ?? error}`);
    } finally {
      this.polling = false;
    }
  }

  private async read(): Promise<Snapshot> {
    const at = new Date().toISOString();
    const order = await this.services.order.get<{ orders: Record<string, number>; outboxPending: number }>('/ledger/summary').then(
      (s) => ({ up: true, problem: null, paid: s.orders.PAID ?? 0, created: s.orders.CREATED ?? 0, outboxPending: s.outboxPending }),
      (error: Error) => ({ ...this.lastOrder, up: false, problem: error.message }),
    );
    this.lastOrder = order;
    const entries = await Promise.all(
      CONSUMER_NAMES.map(async (name) => [name, await readConsumer(this.services.consumers[name], this.depths, this.lastConsumers?.[name])] as const),
    );
    const consumers = Object.fromEntries(entries) as Record<ConsumerName, ConsumerView & { fresh: boolean }>;
    this.lastConsumers = consumers;
    const reading: LedgerReading = {
      at,
      paid: order.paid,
      outboxPending: order.outboxPending,
      fresh: order.up,
      consumers: Object.fromEntries(CONSUMER_NAMES.map((name) => [name, toReading(consumers[name])])) as Record<ConsumerName, ConsumerReading>,
    };
    const ledger = computeLedger(reading, this.previous);
    this.previous = reading;
    this.series.push(seriesPoint(this.series, ledger, at));
    while (this.series.length > Math.ceil((SERIES_SECONDS * 1000) / this.config.pollIntervalMs)) this.series.shift();
    const deadLetterRows = Object.fromEntries(
      await Promise.all(CONSUMER_NAMES.map(async (name) => [name, await readDeadLetterRows(this.services.consumers[name])] as const)),
    );
    return {
      at,
      signedIn: true,
      ledger,
      named: this.namer.named(ledger),
      order,
      consumers,
      deadLetterRows: deadLetterRows as Snapshot['deadLetterRows'],
      series: this.series,
      load: { steady: { ...this.load.steady }, recentOrders: [...this.load.recentOrders], lastError: this.load.lastError },
      jobs: await this.jobs.refresh(),
    };
  }

  private publish(snapshot: Snapshot): void {
    const open = publicSnapshot(snapshot);
    this.snapshots.next({ snapshot, json: JSON.stringify(snapshot), public: open, publicJson: JSON.stringify(open) });
  }
}

function toReading(view: ConsumerView & { fresh: boolean }): ConsumerReading {
  const depth = (n: number | null) => n ?? 0;
  const queued = depth(view.queues.main.depth) + view.queues.retry.reduce((sum, q) => sum + depth(q.depth), 0) + depth(view.queues.deadLetter.depth);
  const known = view.queues.main.depth !== null && view.queues.deadLetter.depth !== null && view.queues.retry.every((q) => q.depth !== null);
  return {
    granted: view.granted,
    deadLettered: view.deadLetters.owed,
    discarded: view.deadLetters.discarded,
    queued,
    unacked: view.unacked,
    fresh: view.fresh && known,
  };
}
