import { RowDataPacket } from 'mysql2/promise';
import { BenchSystem } from './bench-system';
import { GrantTimeline } from './grant-timeline';

export interface OutageFigures {
  /** The orders paid during the outage, with their pay-response times. */
  during: Map<string, number>;
  drainBacklog: number;
  drainPerSecond: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The outage phase: the coupon database down while `payDuring` keeps paying orders, until the
 * relay has published them all; then the heal, and the drain of the coupon backlog. Returns when
 * every coupon is issued (`couponsBefore` plus one per order paid meanwhile).
 */
export async function measureOutageDrain(
  system: BenchSystem,
  timeline: GrantTimeline,
  couponsBefore: number,
  payDuring: () => Promise<Map<string, number>>,
): Promise<OutageFigures & { from: number; to: number }> {
  const from = timeline.seconds();
  timeline.outage = true;
  await system.couponDatabase('LOCK');
  const during = await payDuring();
  await system.outboxDrained();
  await sleep(500);
  await system.couponDatabase('UNLOCK');
  timeline.outage = false;
  const to = timeline.seconds();
  const healedAt = Date.now();
  const couponTarget = couponsBefore + during.size;
  while ((await system.count(system.pools.coupon, 'SELECT COUNT(*) AS n FROM coupons').catch(() => 0)) < couponTarget) await sleep(20);
  // From the coupons' own timestamps, first to last issued after the heal: neither the
  // consumer's probe interval nor this loop's polling is in the figure.
  const [[drained]] = (await system.pools.coupon.query<RowDataPacket[]>(
    'SELECT COUNT(*) AS n, TIMESTAMPDIFF(MICROSECOND, MIN(issued_at), MAX(issued_at)) / 1e6 AS s FROM coupons WHERE issued_at >= ?',
    [new Date(healedAt)],
  )) as unknown as [[{ n: string | number; s: string | number | null }]];
  const drainBacklog = Number(drained.n);
  const drainPerSecond = drainBacklog > 1 && Number(drained.s) > 0 ? (drainBacklog - 1) / Number(drained.s) : Number.NaN;
  return { during, from, to, drainBacklog, drainPerSecond };
}
