import { randomUUID } from 'node:crypto';
import { RowDataPacket } from 'mysql2/promise';
import { paymentEvent, RawPublisher, systemWithPublisher } from './support/raw-publisher';
import { asOperator, http, RunningService, TestSystem } from './support/test-system';
import { waitFor } from './support/wait-for';

/** Issue 21: paced re-drive jobs, kept in the database. */

async function plantExhausted(raw: RawPublisher, system: TestSystem, n: number): Promise<void> {
  const before = await system.count('coupon', 'dead_letters');
  for (let i = 0; i < n; i++) {
    const event = paymentEvent();
    await raw.publish('', `${system.queue('coupon')}.dlq`, JSON.stringify(event), {
      messageId: event.eventId,
      contentType: 'application/json',
      headers: { 'retry-attempts': 3, 'dead-letter-reason': 'retries-exhausted', 'dead-letter-id': randomUUID(), 'last-error-code': 'DB_UNAVAILABLE' },
    });
  }
  await waitFor(async () => (await system.count('coupon', 'dead_letters')) === before + n, { message: 'letters stored' });
}

/** Most re-drives in any one-second window, from the letters' `redriven_at`. */
async function busiestSecond(system: TestSystem): Promise<number> {
  const rows = await system.query<RowDataPacket & { at: Date }>(
    'coupon',
    "SELECT redriven_at AS at FROM dead_letters WHERE status = 'REDRIVEN' ORDER BY redriven_at",
  );
  const times = rows.map((r) => r.at.getTime());
  return Math.max(0, ...times.map((t) => times.filter((s) => s >= t && s < t + 1000).length));
}

const jobOf = (coupon: RunningService, jobId: string) => http(coupon, 'GET', `/dead-letters/redrive-jobs/${jobId}`, undefined, asOperator);

describe('paced re-drive jobs', () => {
  const { system, raw } = systemWithPublisher();

  it('re-drive at most N letters a second, report their progress, and every order is granted once', async () => {
    const coupon = await system.start('coupon');
    await plantExhausted(raw, system, 24);
    const started = await http(coupon, 'POST', '/dead-letters/redrive', { ratePerSecond: 10 }, asOperator);
    expect(started).toMatchObject({ status: 202, body: { jobId: expect.any(String) } });
    const { jobId } = started.body;
    expect((await jobOf(coupon, jobId)).body).toMatchObject({ status: 'running', total: 24 });
    await waitFor(async () => (await jobOf(coupon, jobId)).body.status === 'done', { timeoutMs: 15_000, message: 'job done' });
    expect((await jobOf(coupon, jobId)).body).toMatchObject({ status: 'done', total: 24, redriven: 24, skipped: 0, failed: 0 });
    expect(await busiestSecond(system)).toBeLessThanOrEqual(12);
    await waitFor(async () => (await system.count('coupon', 'coupons')) === 24, { message: 'granted' });

    expect((await http(coupon, 'DELETE', `/dead-letters/redrive-jobs/${jobId}`, undefined, asOperator)).status).toBe(409);
    expect((await jobOf(coupon, '999999')).status).toBe(404);
    expect((await jobOf(coupon, 'x')).status).toBe(400);
    expect((await http(coupon, 'POST', '/dead-letters/redrive', { ratePerSecond: 0 }, asOperator)).status).toBe(400);
    expect((await http(coupon, 'POST', '/dead-letters/redrive', { ratePerSecond: 5000 }, asOperator)).status).toBe(400);
    expect((await http(coupon, 'GET', `/dead-letters/redrive-jobs/${jobId}`)).status).toBe(401);
    await coupon.stop();
  });

  it('carry on after a restart of the service, and stop between letters when cancelled', async () => {
    await system.query('coupon', 'DELETE FROM dead_letters');
    await system.query('coupon', 'DELETE FROM coupons');
    let coupon = await system.start('coupon');
    await plantExhausted(raw, system, 12);
    const { jobId } = (await http(coupon, 'POST', '/dead-letters/redrive', { ratePerSecond: 4 }, asOperator)).body;
    await waitFor(async () => (await jobOf(coupon, jobId)).body.redriven >= 2, { message: 'job under way' });
    await coupon.stop();
    const [stopped] = await system.query<RowDataPacket & { redriven: number; status: string }>(
      'coupon',
      'SELECT redriven, status FROM redrive_jobs WHERE id = ?',
      [jobId],
    );
    expect(stopped.status).toBe('running');
    expect(stopped.redriven).toBeLessThan(12);

    coupon = await system.start('coupon');
    await waitFor(async () => (await jobOf(coupon, jobId)).body.status === 'done', { timeoutMs: 15_000, message: 'job finished after the restart' });
    expect((await jobOf(coupon, jobId)).body).toMatchObject({ redriven: 12, failed: 0 });
    await waitFor(async () => (await system.count('coupon', 'coupons')) === 12, { message: 'all granted once' });

    await plantExhausted(raw, system, 10);
    const second = (await http(coupon, 'POST', '/dead-letters/redrive', { ratePerSecond: 2 }, asOperator)).body.jobId;
    await waitFor(async () => (await jobOf(coupon, second)).body.redriven >= 1, { message: 'second job under way' });
    const cancelled = await http(coupon, 'DELETE', `/dead-letters/redrive-jobs/${second}`, undefined, asOperator);
    expect(cancelled).toMatchObject({ status: 200, body: { status: 'cancelled' } });
    // Cancelled is final: what was re-driven (a letter in flight at the cancel still counts) is granted, the rest stay pending.
    await waitFor(async () => (await system.count('coupon', 'coupons')) - 12 === (await jobOf(coupon, second)).body.redriven, {
      message: 'the re-driven ones granted',
    });
    const at = (await jobOf(coupon, second)).body.redriven;
    expect(at).toBeLessThan(10);
    expect(await system.count('coupon', 'dead_letters', "status = 'PENDING'")).toBe(10 - at);
    const trail = (await http(coupon, 'GET', '/operator-actions?limit=5', undefined, asOperator)).body.items.map((i: { action: string }) => i.action);
    expect(trail.slice(0, 2)).toEqual(['redrive-job-cancel', 'redrive-job-start']);
  });
});
