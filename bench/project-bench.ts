import { KeepAliveTransport } from '../tools/harness/http-transport';
import { pacedLoad } from '../tools/harness/paced-load';
import { ServiceClient } from '../tools/harness/service-client';
import { BenchSystem, BenchSystemOptions } from './bench-system';
import { CpuMeter } from './cpu-meter';
import { GrantTimeline, Latency, Sample } from './grant-timeline';
import { measureOutageDrain } from './outage-drain';
import { Percentiles, percentiles } from './percentiles';
import { measureRelayBacklog } from './relay-backlog';

export interface BenchOptions extends BenchSystemOptions {
  /** The broker processes whose CPU to report (a cluster's nodes); default: the oldest beam.smp. */
  brokerPids?: number[];
  orders: number;
  concurrency: number;
}

export interface ProjectFigures {
  endToEndOrdersPerSecond: number;
  latencyFullLoad: Percentiles;
  latencyHalfLoad: Percentiles & { rate: number };
  relayPublishPerSecond: number;
  drainPerSecond: number;
  drainBacklog: number;
  cpuSecondsPer1000Orders: Record<string, number>;
  peakMemoryMb: Record<string, number>;
  timeline: { samples: Sample[]; latencies: Latency[]; outage: { from: number; to: number } };
}

/** The project as users run it: three service processes, REST clients, the real servers. */
export async function runProjectBench(options: BenchOptions): Promise<ProjectFigures> {
  const system = await BenchSystem.start(options);
  const { services } = system;
  const cpu = new CpuMeter(services, options.brokerPids);
  const timeline = new GrantTimeline(system);
  const transport = new KeepAliveTransport(options.concurrency);
  const client = new ServiceClient(services.order.url, { transport: transport.send });

  /** Pays `n` orders from `concurrency` clients (paced at `rate`/s if given); returns pay-response times. */
  const pay = async (n: number, rate?: number) => {
    const respondedAt = new Map<string, number>();
    await pacedLoad(n, { concurrency: options.concurrency, rate }, async (i) => {
      const order = await client.createOrder({ userId: `bench-${i % 50}`, amount: '100.00' });
      await client.payOrder(order.id);
      respondedAt.set(order.id, Date.now());
    });
    return respondedAt;
  };

  try {
    // Warm-up (JIT, pools, connections), not measured.
    let expected = 2 * (await pay(Math.min(50, options.orders))).size;
    await system.waitForGrants(expected);

    // 1. Full load: as fast as the clients can go.
    cpu.start();
    const fullStart = Date.now();
    const full = await pay(options.orders);
    expected += 2 * full.size;
    const fullEnd = await system.waitForGrants(expected);
    const cpuSecondsPer1000Orders = cpu.perThousandOrders(full.size);
    const endToEndOrdersPerSecond = full.size / ((fullEnd - fullStart) / 1000);
    const latencyFullLoad = percentiles(await timeline.latenciesOf(full));

    // 2. Half load: paced at half the throughput just measured.
    const rate = Math.max(1, endToEndOrdersPerSecond / 2);
    const half = await pay(Math.max(20, Math.floor(options.orders / 2)), rate);
    expected += 2 * half.size;
    await system.waitForGrants(expected);
    const latencyHalfLoad = { ...percentiles(await timeline.latenciesOf(half)), rate: Math.round(rate) };

    // 3. Relay: a backlog as long as the raw publish test sends, published with the consumers stopped.
    const backlog = options.orders * 4;
    const relayPublishPerSecond = await measureRelayBacklog(system, backlog);
    expected += 2 * backlog;
    await system.waitForGrants(expected);

    // 4. Outage: the coupon database down while orders keep coming (a backlog long enough to time:
    // the raw consumer drains 4N); then the backlog drains.
    const outage = await measureOutageDrain(system, timeline, expected / 2, () => pay(Math.max(20, options.orders * 2)));
    expected += 2 * outage.during.size;
    await timeline.latenciesOf(outage.during);
    await system.waitForGrants(expected);

    const peakMemoryMb = Object.fromEntries(Object.entries(services).map(([k, s]) => [k, s.peakMemoryMb()]));
    return {
      endToEndOrdersPerSecond,
      latencyFullLoad,
      latencyHalfLoad,
      relayPublishPerSecond,
      drainPerSecond: outage.drainPerSecond,
      drainBacklog: outage.drainBacklog,
      cpuSecondsPer1000Orders,
      peakMemoryMb,
      timeline: { samples: timeline.samples, latencies: timeline.latencies, outage: { from: outage.from, to: outage.to } },
    };
  } finally {
    timeline.stop();
    transport.close();
    await system.destroy();
  }
}
