import { byId, el, replaceChildren } from './dom';
import { LABELS } from './labels';
import type { RedriveJobView } from '../src/snapshot/snapshot.types';

/** The paced re-drives started from this console, each with a progress bar fed by the live stream. */
export function renderJobs(jobs: RedriveJobView[]): void {
  const rows = jobs.map((job) => {
    const done = job.redriven + job.skipped + job.failed;
    return el(
      'div',
      { class: 'job row', 'data-job': job.jobId, 'data-status': job.status },
      el('span', {}, `Paced re-drive ${job.jobId} · ${LABELS[job.consumer]} · ${job.ratePerSecond}/s · by ${job.operator}`),
      el('progress', { 'data-testid': `job-progress-${job.jobId}`, max: Math.max(job.total, 1), value: done }),
      el(
        'span',
        { 'data-testid': `job-status-${job.jobId}` },
        `${job.status}: ${job.redriven} re-driven, ${job.skipped} skipped, ${job.failed} failed of ${job.total}`,
      ),
      job.status === 'running' ? el('button', { 'data-action': 'cancel-job', 'data-consumer': job.consumer, 'data-id': job.jobId }, 'Cancel') : null,
    );
  });
  replaceChildren(byId('jobs'), jobs.length ? el('h3', {}, 'Paced re-drives') : null, ...rows);
}
