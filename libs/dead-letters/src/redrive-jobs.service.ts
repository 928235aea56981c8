import { Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OperatorActions } from '@reliable-payments/http';
import { runInTransaction } from '@reliable-payments/persistence';
import { BulkRedrive, DeadLetterRedriver, includesPoison } from './dead-letter-redriver';
import { RedriveJob } from './redrive-job.entity';

export class RedriveJobNotFoundError extends Error {
  readonly code = 'REDRIVE_JOB_NOT_FOUND';
  constructor(id: string) {
    super(`re-drive job ${id} not found`);
  }
}

export class RedriveJobNotRunningError extends Error {
  readonly code = 'REDRIVE_JOB_NOT_RUNNING';
  constructor(id: string, status: string) {
    super(`re-drive job ${id} is ${status}, not running`);
  }
}

/** Starts, reads and cancels paced re-drive jobs; `RedriveJobRunner` does the work. */
@Injectable()
export class RedriveJobs {
  private readonly listeners: Array<() => void> = [];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly redriver: DeadLetterRedriver,
    @Optional() private readonly actions?: OperatorActions,
  ) {}

  /** Snapshots the letters the filter takes now (ids up to the highest pending one) and records the job. */
  async start(filter: BulkRedrive, ratePerSecond: number, operator: string): Promise<{ jobId: string }> {
    const upTo = (await this.redriver.snapshotBound()) ?? '0';
    const jobId = await runInTransaction(this.dataSource, async (manager) => {
      const where = ["status = 'PENDING'", 'id <= ?'];
      const params: unknown[] = [upTo];
      if (!includesPoison(filter)) where.push("redrive_class = 'exhausted'");
      if (filter.reason !== undefined) {
        where.push('reason = ?');
        params.push(filter.reason);
      }
      if (filter.fingerprint !== undefined) {
        where.push('fingerprint = ?');
        params.push(filter.fingerprint);
      }
      const [{ n }] = (await manager.query(`SELECT COUNT(*) AS n FROM dead_letters WHERE ${where.join(' AND ')}`, params)) as Array<{ n: string | number }>;
      const total = Math.min(Number(n), filter.limit ?? Number.MAX_SAFE_INTEGER);
      const now = new Date();
      const inserted = await manager.insert(RedriveJob, {
        status: total === 0 ? 'done' : 'running',
        ratePerSecond,
        filter: JSON.stringify(filter),
        upTo,
        afterId: '0',
        total,
        redriven: 0,
        skipped: 0,
        failed: 0,
        operator,
        createdAt: now,
        updatedAt: now,
      });
      const id = String(inserted.identifiers[0]?.id ?? inserted.raw?.insertId);
      await this.actions?.record(manager, {
        operator,
        action: 'redrive-job-start',
        target: `job ${id} filter ${JSON.stringify(filter)}`,
        outcome: `${total} letters at ${ratePerSecond}/s`,
      });
      return id;
    });
    for (const wake of this.listeners) wake();
    return { jobId };
  }

  async get(id: string) {
    const job = await this.dataSource.manager.findOne(RedriveJob, { where: { id } });
    if (!job) throw new RedriveJobNotFoundError(id);
    return {
      jobId: job.id,
      status: job.status,
      ratePerSecond: job.ratePerSecond,
      total: job.total,
      redriven: job.redriven,
      skipped: job.skipped,
      failed: job.failed,
    };
  }

  /** Cancels between letters: the runner reads the status before each one. */
  async cancel(id: string, operator: string) {
    await runInTransaction(this.dataSource, async (manager) => {
      const job = await manager.createQueryBuilder(RedriveJob, 'j').setLock('pessimistic_write').where('j.id = :id', { id }).getOne();
      if (!job) throw new RedriveJobNotFoundError(id);
      if (job.status !== 'running') throw new RedriveJobNotRunningError(id, job.status);
      await manager.update(RedriveJob, { id }, { status: 'cancelled', updatedAt: new Date() });
      await this.actions?.record(manager, {
        operator,
        action: 'redrive-job-cancel',
        target: `job ${id}`,
        outcome: `cancelled after ${job.redriven} of ${job.total}`,
      });
    });
    return this.get(id);
  }

  /** Called when a job starts, so the runner need not wait for its next tick. */
  onStart(wake: () => void): void {
    this.listeners.push(wake);
  }
}
