import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { deleteInChunks } from './delete-in-chunks';

export interface RetentionSweeperOptions {
  /** What the rows are, for the log ("inbox rows"). */
  rows: string;
  /** The DELETE without its LIMIT; its one `?` is the cut-off (now − retention). */
  deleteSql: string;
  chunk: number;
  retentionMs: number;
  intervalMs: number;
}

/**
 * Deletes rows past their retention on an interval, in chunks (`deleteInChunks`), one sweep at a
 * time; `stop()` ends the interval and waits for the sweep in progress, which stops between chunks.
 */
export class RetentionSweeper {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopping = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: RetentionSweeperOptions,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), this.options.intervalMs);
  }

  /** One sweep now; returns how many rows went. */
  sweep(): Promise<number> {
    const before = new Date(Date.now() - this.options.retentionMs);
    return deleteInChunks(this.dataSource, this.options.deleteSql, [before], this.options.chunk, () => this.stopping);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.sweep()
      .then((deleted) => deleted > 0 && this.logger.log(`deleted ${deleted} ${this.options.rows} past retention`))
      .catch((error: Error) => this.logger.warn(`${this.options.rows} cleanup failed: ${error.message}`))
      .finally(() => (this.running = undefined));
  }
}
