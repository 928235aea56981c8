import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { OUTBOX_OPTIONS, OutboxOptions } from './outbox.options';
import { OutboxRelay } from './outbox.relay';

/**
 * The relay's safety net: a poll on @nestjs/schedule's registry (intervals come from config, so
 * they are registered here rather than with @Interval). The wake-up after each commit keeps
 * latency off this interval; the poll picks up what a wake-up missed, retries and crashes.
 */
@Injectable()
export class OutboxScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxScheduler.name);
  private lastStuckWarning = 0;
  private cleaning = false;

  constructor(
    private readonly relay: OutboxRelay,
    private readonly registry: SchedulerRegistry,
    @Inject(OUTBOX_OPTIONS) private readonly options: OutboxOptions,
  ) {}

  onApplicationBootstrap(): void {
    this.registry.addInterval(
      'outbox-relay',
      setInterval(() => this.poll(), this.options.pollIntervalMs),
    );
    this.registry.addInterval(
      'outbox-cleanup',
      setInterval(() => this.clean(), this.options.cleanupIntervalMs),
    );
    this.relay.wake();
  }

  private poll(): void {
    this.relay.wake();
    if (Date.now() - this.lastStuckWarning < 60_000) return;
    this.relay
      .backlog()
      .then((backlog) => {
        if (backlog.stuck > 0) {
          this.lastStuckWarning = Date.now();
          this.logger.error(
            `${backlog.stuck} outbox messages pending since before ${new Date(Date.now() - this.options.stuckAfterMs).toISOString()} (oldest ${backlog.oldestPendingAt}); last error: ${this.relay.stats.lastError ?? 'none'}`,
          );
        }
      })
      .catch(() => undefined); // the database being down is reported by /health
  }

  private clean(): void {
    if (this.cleaning) return;
    this.cleaning = true;
    this.relay
      .cleanup()
      .then((deleted) => deleted > 0 && this.logger.log(`deleted ${deleted} sent outbox messages past retention`))
      .catch((error: Error) => this.logger.warn(`outbox cleanup failed: ${error.message}`))
      .finally(() => (this.cleaning = false));
  }

  async beforeApplicationShutdown(): Promise<void> {
    for (const name of ['outbox-relay', 'outbox-cleanup']) {
      if (this.registry.doesExist('interval', name)) this.registry.deleteInterval(name);
    }
    await this.relay.stop();
  }
}
