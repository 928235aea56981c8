import { RowDataPacket } from 'mysql2/promise';
import { BenchSystem } from './bench-system';

export interface Sample {
  t: number;
  grants: number;
  outage: boolean;
}

export interface Latency {
  t: number;
  ms: number;
}

/**
 * The run over time, for the chart: grants committed (sampled every 250 ms) and each measured
 * order's pay → both-grants latency, placed at its later grant. Times are seconds from the start.
 */
export class GrantTimeline {
  readonly samples: Sample[] = [];
  readonly latencies: Latency[] = [];
  /** Set while the coupon database is down: the chart shades it. */
  outage = false;
  private readonly t0 = Date.now();
  private readonly sampler: NodeJS.Timeout;

  constructor(private readonly system: BenchSystem) {
    // One sample at a time: with grown tables a COUNT(*) can outlast the interval, and queued
    // samples would stand in the pool's queue ahead of the bench's own queries.
    let sampling = false;
    this.sampler = setInterval(() => {
      if (sampling) return;
      sampling = true;
      system
        .grants()
        .then(
          (g) => this.samples.push({ t: this.seconds(), grants: g, outage: this.outage }),
          () => undefined,
        )
        .finally(() => (sampling = false));
    }, 250);
  }

  seconds(at = Date.now()): number {
    return (at - this.t0) / 1000;
  }

  /** Pay response → both grants committed (the later grant's issued_at), per order, in ms. */
  async latenciesOf(respondedAt: Map<string, number>): Promise<number[]> {
    const ids = [...respondedAt.keys()];
    const issued = new Map<string, number>();
    for (const [pool, table] of [
      [this.system.pools.coupon, 'coupons'],
      [this.system.pools.redPacket, 'red_packets'],
    ] as const) {
      const [rows] = await pool.query<RowDataPacket[]>(`SELECT order_id, issued_at FROM ${table} WHERE order_id IN (?)`, [ids]);
      for (const row of rows) issued.set(row.order_id, Math.max(issued.get(row.order_id) ?? 0, new Date(row.issued_at).getTime()));
    }
    return ids.map((id) => {
      const ms = Math.max(0, issued.get(id)! - respondedAt.get(id)!);
      this.latencies.push({ t: this.seconds(issued.get(id)!), ms });
      return ms;
    });
  }

  stop(): void {
    clearInterval(this.sampler);
  }
}
