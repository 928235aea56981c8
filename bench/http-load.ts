import { KeepAliveTransport } from '../tools/harness/http-transport';
import { pacedLoad } from '../tools/harness/paced-load';
import { ServiceClient } from '../tools/harness/service-client';
import { CpuMeter, CpuSource } from './cpu-meter';
import { Percentiles, percentiles } from './percentiles';

/** A contender served over HTTP: the project, the raw HTTP server, the NestJS-docs peer. */
export interface HttpContender {
  /** The order service's base URL (`POST /orders`, `POST /orders/:id/pay`). */
  url: string;
  /** The processes of the system under test, for CPU per order (the servers are added by the meter). */
  processes: Record<string, CpuSource>;
  /** Grants committed so far (both consumers). */
  grants(): Promise<number>;
  /** Pay response → both grants committed, ms, per order of `respondedAt`. */
  latencies(respondedAt: Map<string, number>): Promise<number[]>;
}

export interface LoadOptions {
  orders: number;
  concurrency: number;
  /** Orders of each uncounted warm-up pass. */
  warmup: number;
  /** Warm-up passes (2 with --warmup-check: the second shows what a second one changes). */
  warmupPasses: number;
  /** Called at the start and the end of the timed full-load phase (the profiler's window). */
  onTimed?: (edge: 'start' | 'end') => void;
  /** Skip the half-load phase (the concurrency curve needs full load only). */
  fullLoadOnly?: boolean;
  /**
   * Messages of the publish and consume phases (relay backlog, raw confirmed publish, raw consumer);
   * default 4 × orders. The relay's rate needs at least four batches to time.
   */
  messages?: number;
  /** The oldest beam.smp by default; a cluster's nodes. */
  brokerPids?: number[];
}

export interface LoadFigures {
  ordersPerSecond: number;
  /** CPU seconds per 1000 orders = CPU ms per order, per process, the servers and the bench's clients. */
  cpuSecondsPer1000Orders: Record<string, number>;
  latencyFullLoad: Percentiles;
  /** Create + pay round trip as the client sees it, full load, ms. */
  requestFullLoad: Percentiles;
  latencyHalfLoad: Percentiles & { rate: number };
  /** Orders/s of each warm-up pass, end to end as the timed phase counts them. */
  warmupOrdersPerSecond: number[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The end-to-end phases every HTTP contender goes through alike: uncounted warm-up passes of the
 * same load (JIT, pools, sockets, the broker's queues), then full load from `concurrency`
 * keep-alive clients until every grant is committed (orders/s, CPU per order, latency), then half
 * that rate paced (latency). Same client, same transport, same completion test for all.
 */
export async function measureHttpLoad(contender: HttpContender, options: LoadOptions): Promise<LoadFigures> {
  const transport = new KeepAliveTransport(options.concurrency);
  const client = new ServiceClient(contender.url, { transport: transport.send });
  let expected = await contender.grants();
  let requestMs: number[] = [];
  const pay = async (n: number, rate?: number) => {
    const respondedAt = new Map<string, number>();
    requestMs = [];
    await pacedLoad(n, { concurrency: options.concurrency, rate }, async (i) => {
      const sent = Date.now();
      const order = await client.createOrder({ userId: `bench-${i % 50}`, amount: '100.00' });
      await client.payOrder(order.id);
      const now = Date.now();
      respondedAt.set(order.id, now);
      requestMs.push(now - sent);
    });
    return respondedAt;
  };
  const waitForGrants = async (target: number, timeoutMs = 300_000) => {
    const deadline = Date.now() + timeoutMs;
    while ((await contender.grants()) < target) {
      if (Date.now() > deadline) throw new Error(`grants did not reach ${target}`);
      await sleep(20);
    }
    return Date.now();
  };
  /** Pays `n` orders flat out and waits for their grants: orders/s end to end. */
  const flatOut = async (n: number) => {
    const started = Date.now();
    const paid = await pay(n);
    expected += 2 * paid.size;
    const ended = await waitForGrants(expected);
    return { paid, rate: paid.size / ((ended - started) / 1000) };
  };
  try {
    const warmupOrdersPerSecond: number[] = [];
    for (let i = 0; i < options.warmupPasses; i++) warmupOrdersPerSecond.push((await flatOut(options.warmup)).rate);

    const cpu = new CpuMeter(contender.processes, options.brokerPids);
    cpu.start();
    options.onTimed?.('start');
    const full = await flatOut(options.orders);
    options.onTimed?.('end');
    const cpuSecondsPer1000Orders = cpu.perThousandOrders(full.paid.size);
    const requestFullLoad = percentiles(requestMs);
    const latencyFullLoad = percentiles(await contender.latencies(full.paid));

    if (options.fullLoadOnly)
      return {
        ordersPerSecond: full.rate,
        cpuSecondsPer1000Orders,
        latencyFullLoad,
        requestFullLoad,
        latencyHalfLoad: { ...percentiles([]), rate: 0 },
        warmupOrdersPerSecond,
      };
    const rate = Math.max(1, full.rate / 2);
    const half = await pay(Math.max(20, Math.floor(options.orders / 2)), rate);
    expected += 2 * half.size;
    await waitForGrants(expected);
    const latencyHalfLoad = { ...percentiles(await contender.latencies(half)), rate: Math.round(rate) };
    return { ordersPerSecond: full.rate, cpuSecondsPer1000Orders, latencyFullLoad, requestFullLoad, latencyHalfLoad, warmupOrdersPerSecond };
  } finally {
    transport.close();
  }
}

/** Sum of the system under test's own processes in a CPU record (not the servers, not the clients). */
export function ownCpu(record: Record<string, number>, processes: Record<string, unknown>): number {
  return Object.keys(processes).reduce((sum, k) => sum + (record[k] ?? 0), 0);
}
