import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
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
  private readonly logger = new Logger(InboxRetention.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopping = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(INBOX_OPTIONS) private readonly options: InboxOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.options.retentionMs) return;
    this.timer = setInterval(() => this.tick(), this.options.cleanupIntervalMs ?? 60_000);
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.cleanup()
      .then((deleted) => deleted > 0 && this.logger.log(`deleted ${deleted} inbox rows past retention`))
      .catch((error: Error) => this.logger.warn(`inbox cleanup failed: ${error.message}`))
      .finally(() => (this.running = undefined));
  }

  /** Deletes rows processed before now − retention, a chunk at a time; returns how many. */
  async cleanup(): Promise<number> {
    const before = new Date(Date.now() - (this.options.retentionMs ?? Infinity));
    let deleted = 0;
    for (;;) {
      const result = (await this.dataSource.query(`DELETE FROM inbox_messages WHERE processed_at < ? ORDER BY processed_at LIMIT ${INBOX_CLEANUP_CHUNK}`, [
        before,
      ])) as { affectedRows: number };
      deleted += result.affectedRows;
      if (result.affectedRows < INBOX_CLEANUP_CHUNK || this.stopping) return deleted;
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.running;
  }
}
