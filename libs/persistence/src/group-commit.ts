import { Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TransientError } from '@reliable-payments/errors';
import { runInTransaction } from './transaction';

export interface GroupCommitOptions<I, R> {
  /** Shown in logs. */
  name: string;
  /** Most items in one transaction. 1 turns grouping off: every item runs alone. */
  maxBatch: number;
  /** Most group transactions open at once; items arriving meanwhile wait and form the next group. */
  maxInFlight: number;
  /**
   * Most items waiting for a group (not counting those in open groups). Past it `submit` rejects at
   * once with `GroupCommitFullError`: with the database hung, waiting longer only piles requests up.
   * Default: no limit.
   */
  maxQueued?: number;
  /** All items in one transaction (run by `runInTransaction`): one result per item, in order. */
  batch: (manager: EntityManager, items: I[]) => Promise<R[]>;
  /**
   * `false` when `batch` is one statement, atomic on its own (a multi-row INSERT): it then runs
   * without BEGIN and COMMIT, two round trips fewer per group. Default true.
   */
  transaction?: boolean;
  /** One item in a transaction of its own: a group of one, and each item of a group that failed. */
  single: (item: I) => Promise<R>;
  /**
   * A failure that every item would meet alone too (the database is unreachable): passed to all
   * items of the group at once, and to those waiting for a group.
   */
  failsAll?: (error: unknown) => boolean;
}

/** The group-commit queue is full (the database is not keeping up): try again shortly. */
export class GroupCommitFullError extends TransientError {
  constructor(name: string, limit: number) {
    super('DB_QUEUE_FULL', `${name}: ${limit} requests already wait for the database`);
  }
}

interface Pending<I, R> {
  item: I;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: the items submitted within one turn of the event loop (a burst of requests or
 * deliveries), and those that arrive while `maxInFlight` groups are open, share one transaction.
 * Per item that saves the BEGIN and COMMIT round trips, and lets `batch` use multi-row
 * statements: on a localhost MySQL most of a service's CPU went into those round trips.
 *
 * Each item keeps its own outcome: if the group's transaction fails for any reason other than
 * `failsAll` (a duplicate key, a handler's error, a deadlock after its retries), it rolls back and
 * every item runs again alone with `single`, so one item never decides another's fate. A caller
 * is answered only after the transaction that holds its item committed.
 */
export class GroupCommit<I, R> {
  private readonly logger: Logger;
  private queue: Pending<I, R>[] = [];
  private inFlight = 0;
  private flushScheduled = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: GroupCommitOptions<I, R>,
  ) {
    this.logger = new Logger(`GroupCommit:${options.name}`);
  }

  submit(item: I): Promise<R> {
    if (this.options.maxBatch <= 1) return this.options.single(item);
    const limit = this.options.maxQueued ?? Number.POSITIVE_INFINITY;
    if (this.queue.length >= limit) return Promise.reject(new GroupCommitFullError(this.options.name, limit));
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => {
          this.flushScheduled = false;
          this.flush();
        });
      }
    });
  }

  private flush(): void {
    while (this.queue.length > 0 && this.inFlight < this.options.maxInFlight) {
      const group = this.queue.splice(0, this.options.maxBatch);
      this.inFlight++;
      void this.run(group).finally(() => {
        this.inFlight--;
        this.flush();
      });
    }
  }

  private async run(group: Pending<I, R>[]): Promise<void> {
    if (group.length === 1) return this.runAlone(group[0]);
    let results: R[];
    try {
      const items = group.map((pending) => pending.item);
      results =
        this.options.transaction === false
          ? await this.options.batch(this.dataSource.manager, items)
          : await runInTransaction(this.dataSource, (manager) => this.options.batch(manager, items));
    } catch (error) {
      if (this.failsAll(error)) {
        // The items waiting behind this group would meet the same failure, one more time-out later
        // each round: with a hung database that is what kept requests waiting. They are told now.
        const waiting = this.queue.splice(0);
        for (const pending of [...group, ...waiting]) pending.reject(error);
        return;
      }
      this.logger.debug(`a group of ${group.length} rolled back (${(error as Error)?.message}); each item runs alone`);
      await Promise.all(group.map((pending) => this.runAlone(pending)));
      return;
    }
    group.forEach((pending, i) => pending.resolve(results[i]));
  }

  private failsAll(error: unknown): boolean {
    try {
      return this.options.failsAll?.(error) ?? false;
    } catch {
      return false;
    }
  }

  /** Settles the caller whatever `single` does, even throw before returning a promise. */
  private runAlone(pending: Pending<I, R>): Promise<void> {
    return Promise.resolve()
      .then(() => this.options.single(pending.item))
      .then(pending.resolve, pending.reject);
  }
}
