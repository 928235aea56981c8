import { Injectable } from '@nestjs/common';
import { ConsumerName } from '@reliable-payments/contracts';
import { ConsoleServices } from '../console.options';
import { RedriveJobView } from './snapshot.types';

/** Jobs shown at once; the oldest finished one goes first. */
const KEPT = 10;

interface JobAnswer {
  status: RedriveJobView['status'];
  ratePerSecond: number;
  total: number;
  redriven: number;
  skipped: number;
  failed: number;
}

/**
 * The paced re-drive jobs started from this console, read again on every poll while running, so
 * the page's progress bar is fed by the live stream like every other number. The job itself lives
 * in the service's database (it survives a restart of either side); this is only who to ask.
 */
@Injectable()
export class RedriveJobTracker {
  private readonly jobs: RedriveJobView[] = [];

  constructor(private readonly services: ConsoleServices) {}

  add(consumer: ConsumerName, jobId: string, fingerprint: string | null, operator: string, ratePerSecond: number): void {
    this.jobs.unshift({ consumer, jobId, fingerprint, operator, status: 'running', ratePerSecond, total: 0, redriven: 0, skipped: 0, failed: 0 });
    while (this.jobs.length > KEPT) {
      const finished = this.jobs.findLastIndex((j) => j.status !== 'running');
      this.jobs.splice(finished < 0 ? this.jobs.length - 1 : finished, 1);
    }
  }

  /** Reads every running job once (the console's read token: a read, not an action). */
  async refresh(): Promise<RedriveJobView[]> {
    await Promise.all(
      this.jobs
        .filter((j) => j.status === 'running' || j.status === 'unknown')
        .map(async (job) => {
          const answer = await this.services.consumers[job.consumer].get<JobAnswer>(`/dead-letters/redrive-jobs/${job.jobId}`, true).catch(() => undefined);
          if (!answer) return void (job.status = 'unknown');
          Object.assign(job, {
            status: answer.status,
            ratePerSecond: answer.ratePerSecond,
            total: answer.total,
            redriven: answer.redriven,
            skipped: answer.skipped,
            failed: answer.failed,
          });
        }),
    );
    return this.jobs.map((j) => ({ ...j }));
  }
}
