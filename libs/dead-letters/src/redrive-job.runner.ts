import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { setTimeout as delay } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { BulkRedrive, BulkRedriveResult, DeadLetterRedriver, includesPoison } from './dead-letter-redriver';
import { RedriveJob } from './redrive-job.entity';
import { RedriveJobs } from './redrive-jobs.service';
import { RatePacer } from './rate-pacer';

const POLL_MS = 1_000;

/**
 * Works through running re-drive jobs one letter at a time, paced (`RatePacer`), saving the cursor
 * and counts after each letter: a restart picks the job up where it stopped (the letter in flight
 * at a crash is re-driven at most once more, and the inbox absorbs the copy). A shutdown stops
 * between letters and leaves the job running for the next start.
 */
@Injectable()
export class RedriveJobRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RedriveJobRunner.name);
  private busy: Promise<void> | undefined;
  private readonly stop = new AbortController();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly redriver: DeadLetterRedriver,
    private readonly jobs: RedriveJobs,
    private readonly registry: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    this.jobs.onStart(() => this.tick());
    this.registry.addInterval(
      'redrive-jobs',
      setInterval(() => this.tick(), POLL_MS),
    );
    this.tick();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stop.abort();
    // The scheduler may have cleared its intervals first (a SIGTERM): stopping must not depend on it.
    if (this.registry.doesExist('interval', 'redrive-jobs')) this.registry.deleteInterval('redrive-jobs');
    await this.busy;
  }

  private tick(): void {
    if (this.busy || this.stop.signal.aborted) return;
    this.busy = this.runAll()
      .catch((error: Error) => this.logger.warn(`re-drive jobs: ${error.message}`))
      .finally(() => (this.busy = undefined));
  }

  private async runAll(): Promise<void> {
    while (!this.stop.signal.aborted) {
      const job = await this.dataSource.manager.findOne(RedriveJob, { where: { status: 'running' }, order: { id: 'ASC' } });
      if (!job) return;
      await this.run(job);
    }
  }

  private async run(job: RedriveJob): Promise<void> {
    const filter = JSON.parse(job.filter) as BulkRedrive;
    const poison = includesPoison(filter);
    const pacer = new RatePacer(job.ratePerSecond);
    const counts: BulkRedriveResult = { redriven: job.redriven, skipped: job.skipped, failed: job.failed, errors: [] };
    let afterId = job.afterId;
    while (!this.stop.signal.aborted) {
      const current = await this.dataSource.manager.findOne(RedriveJob, { where: { id: job.id }, select: { id: true, status: true } });
      if (current?.status !== 'running') return;
      const [next] = counts.redriven + counts.failed < job.total ? await this.redriver.candidates(filter, afterId, job.upTo, 1) : [];
      if (!next) {
        await this.save(job.id, afterId, counts, 'done');
        this.logger.log(`re-drive job ${job.id} done: ${JSON.stringify({ ...counts, errors: undefined })}`);
        return;
      }
      if (poison || next.redriveClass === 'exhausted') {
        const wait = pacer.delayAt(Date.now());
        if (wait > 0) await delay(wait, undefined, { signal: this.stop.signal }).catch(() => undefined);
        if (this.stop.signal.aborted) return;
        pacer.started(Date.now());
        await this.redriver.redriveOne(next.id, counts);
      } else {
        counts.skipped++;
      }
      afterId = next.id;
      await this.save(job.id, afterId, counts);
    }
  }

  private async save(id: string, afterId: string, counts: BulkRedriveResult, status?: 'done'): Promise<void> {
    // Counts always (a letter sent while a cancel landed still counts); `done` only over `running`, never over `cancelled`.
    await this.dataSource.manager.update(
      RedriveJob,
      { id },
      { afterId, redriven: counts.redriven, skipped: counts.skipped, failed: counts.failed, updatedAt: new Date() },
    );
    if (status) await this.dataSource.manager.update(RedriveJob, { id, status: 'running' }, { status });
  }
}
