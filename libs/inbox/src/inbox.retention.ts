import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RetentionSweeper } from '@reliable-payments/persistence';
import { INBOX_OPTIONS, InboxOptions } from './inbox.options';

/** Rows deleted per statement: short transactions that never hold many locks at once. */
export const INBOX_CLEANUP_CHUNK = 1000;

/**
 * Forgets processed message ids older than INBOX_RETENTION, in bounded chunks on an interval, as
 * the outbox cleanup does. The retention outlasts the whole ladder (checked when the config is
 * read), so no copy of a message still in flight can find its id gone and be granted twice.
 */
@Injectable()
export class InboxRetention implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly sweeper: RetentionSweeper;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    @Inject(INBOX_OPTIONS) private readonly options: InboxOptions,
  ) {
    this.sweeper = new RetentionSweeper(
      dataSource,
      {
        rows: 'inbox rows',
        deleteSql: 'DELETE FROM inbox_messages WHERE processed_at < ? ORDER BY processed_at',
        chunk: INBOX_CLEANUP_CHUNK,
        retentionMs: options.retentionMs ?? Infinity,
        intervalMs: options.cleanupIntervalMs ?? 60_000,
      },
      new Logger(InboxRetention.name),
    );
  }

  onApplicationBootstrap(): void {
    if (this.options.retentionMs) this.sweeper.start();
  }

  /** Deletes rows processed before now − retention, a chunk at a time; returns how many. */
  cleanup(): Promise<number> {
    return this.sweeper.sweep();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.sweeper.stop();
  }
}
