import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RetentionSweeper } from '@reliable-payments/persistence';
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
  private readonly sweeper: RetentionSweeper;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    @Inject(DEAD_LETTERS_OPTIONS) private readonly options: DeadLettersOptions,
  ) {
    this.sweeper = new RetentionSweeper(
      dataSource,
      {
        rows: 're-driven dead letters',
        // status is part of the condition, not only of the index: a PENDING row never matches.
        deleteSql: "DELETE FROM dead_letters WHERE status = 'REDRIVEN' AND redriven_at < ? ORDER BY redriven_at",
        chunk: DEAD_LETTER_CLEANUP_CHUNK,
        retentionMs: options.retentionMs,
        intervalMs: options.cleanupIntervalMs || 60_000,
      },
      new Logger(DeadLettersRetention.name),
    );
  }

  onApplicationBootstrap(): void {
    if (this.options.retentionMs) this.sweeper.start();
  }

  /** Deletes letters re-driven before now − retention, a chunk at a time; returns how many. */
  cleanup(): Promise<number> {
    return this.sweeper.sweep();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.sweeper.stop();
  }
}
