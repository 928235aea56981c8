import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DEAD_LETTERS_OPTIONS, DeadLettersOptions } from './dead-letters.options';

/** Rows deleted per statement: short transactions that never hold many locks at once. */
export const DEAD_LETTER_CLEANUP_CHUNK = 500;

/**
 * Deletes re-driven dead letters older than DEAD_LETTER_RETENTION (they hold payloads and personal
 * data), in bounded chunks on an interval, as the outbox cleanup does. PENDING letters are never
 * deleted automatically: each one is a message nobody has dealt with yet.
 */
@Injectable()
export class DeadLettersRetention implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DeadLettersRetention.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopping = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(DEAD_LETTERS_OPTIONS) private readonly options: DeadLettersOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.options.retentionMs) return;
    this.timer = setInterval(() => this.tick(), this.options.cleanupIntervalMs || 60_000);
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.cleanup()
      .then((deleted) => deleted > 0 && this.logger.log(`deleted ${deleted} re-driven dead letters past retention`))
      .catch((error: Error) => this.logger.warn(`dead-letter cleanup failed: ${error.message}`))
      .finally(() => (this.running = undefined));
  }

  /** Deletes letters re-driven before now − retention, a chunk at a time; returns how many. */
  async cleanup(): Promise<number> {
    const before = new Date(Date.now() - this.options.retentionMs);
    let deleted = 0;
    for (;;) {
      // status is part of the condition, not only of the index: a PENDING row never matches.
      const result = (await this.dataSource.query(
        `DELETE FROM dead_letters WHERE status = 'REDRIVEN' AND redriven_at < ? ORDER BY redriven_at LIMIT ${DEAD_LETTER_CLEANUP_CHUNK}`,
        [before],
      )) as { affectedRows: number };
      deleted += result.affectedRows;
      if (result.affectedRows < DEAD_LETTER_CLEANUP_CHUNK || this.stopping) return deleted;
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.running;
  }
}
