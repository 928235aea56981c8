import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DEAD_LETTERS_OPTIONS, DeadLettersOptions } from './dead-letters.options';
import { DeadLetterRedriver, MAX_BULK_LIMIT } from './dead-letter-redriver';

/**
 * Optional automatic re-drive (DEAD_LETTER_REDRIVE_INTERVAL > 0), as the seeds suggest for the
 * DLQ consumer. Only letters whose retries ran out are re-driven: a poison message would fail
 * the same way again, so those wait for an operator.
 */
@Injectable()
export class DeadLettersScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DeadLettersScheduler.name);
  private running = false;

  constructor(
    private readonly redriver: DeadLetterRedriver,
    private readonly registry: SchedulerRegistry,
    @Inject(DEAD_LETTERS_OPTIONS) private readonly options: DeadLettersOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.redriveIntervalMs <= 0) return;
    this.registry.addInterval(
      'dead-letter-redrive',
      setInterval(() => this.tick(), this.options.redriveIntervalMs),
    );
  }

  private tick(): void {
    if (this.running) return;
    this.running = true;
    this.redriver
      .redriveMany({ reason: 'retries-exhausted', limit: MAX_BULK_LIMIT })
      .then((result) => result.redriven + result.failed > 0 && this.logger.log(`automatic re-drive: ${JSON.stringify(result)}`))
      .catch((error: Error) => this.logger.warn(`automatic re-drive failed: ${error.message}`))
      .finally(() => (this.running = false));
  }

  beforeApplicationShutdown(): void {
    if (this.registry.doesExist('interval', 'dead-letter-redrive')) this.registry.deleteInterval('dead-letter-redrive');
  }
}
