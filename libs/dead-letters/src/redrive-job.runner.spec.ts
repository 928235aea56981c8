import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { DeadLetterRedriver } from './dead-letter-redriver';
import { RedriveJobRunner } from './redrive-job.runner';
import { RedriveJobs } from './redrive-jobs.service';

/**
 * Found by the nemesis (SIGTERM during a campaign): when the scheduler had already removed the
 * runner's interval, the shutdown hook threw "No Interval was found" before it aborted, so a job
 * in progress was never waited for.
 */
describe('RedriveJobRunner shutdown', () => {
  function runner(registry: SchedulerRegistry): RedriveJobRunner {
    // Nothing runs: the data source answers no running jobs.
    const dataSource = { query: async () => [] } as unknown as DataSource;
    const jobs = { onStart: () => undefined } as unknown as RedriveJobs;
    return new RedriveJobRunner(dataSource, {} as DeadLetterRedriver, jobs, registry);
  }

  it('stops cleanly when its interval is already gone from the registry', async () => {
    const registry = new SchedulerRegistry();
    const subject = runner(registry);
    subject.onApplicationBootstrap();
    registry.deleteInterval('redrive-jobs');
    await expect(subject.beforeApplicationShutdown()).resolves.toBeUndefined();
  });

  it('removes its interval when it is still registered', async () => {
    const registry = new SchedulerRegistry();
    const subject = runner(registry);
    subject.onApplicationBootstrap();
    await subject.beforeApplicationShutdown();
    expect(registry.doesExist('interval', 'redrive-jobs')).toBe(false);
  });
});
