import { KeepAliveTransport } from '../tools/harness/http-transport';
import { pacedLoad } from '../tools/harness/paced-load';
import { ServiceClient } from '../tools/harness/service-client';
import { BenchSystem, BenchSystemOptions } from './bench-system';
import { GrantTimeline, Latency, Sample } from './grant-timeline';
import { measureOutageDrain } from './outage-drain';
import { LoadOptions, measureHttpLoad } from './http-load';
import { Percentiles } from './percentiles';
import { measureRelayBacklog } from './relay-backlog';

export interface BenchOptions extends BenchSystemOptions, LoadOptions {}

export interface ProjectFigures {
  endToEndOrdersPerSecond: number;
  warmupOrdersPerSecond: number[];
  latencyFullLoad: Percentiles;
  /** Create + pay round trip as the clients see it, full load. */
  requestFullLoad: Percentiles;
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
  const timeline = new GrantTimeline(system);
  const transport = new KeepAliveTransport(options.concurrency);
  const client = new ServiceClient(services.order.url, { transport: transport.send });

  /** Pays `n` orders from `concurrency` clients; returns pay-response times. */
  const pay = async (n: number) => {
    const respondedAt = new Map<string, number>();
    await pacedLoad(n, { concurrency: options.concurrency }, async (i) => {
      const order = await client.createOrder({ userId: `bench-${i % 50}`, amount: '100.00' });
      await client.payOrder(order.id);
      respondedAt.set(order.id, Date.now());
    });
    return respondedAt;
  };

  try {
    // 1, 2. Warm-up passes (uncounted), full load, half load: as for every HTTP contender.
    const load = await measureHttpLoad(
      { url: services.order.url, processes: services, grants: () => system.grants(), latencies: (r) => timeline.latenciesOf(r) },
      options,
    );
    let expected = await system.grants();

    // 3. Relay: a backlog as long as the raw publish test sends, published with the consumers
    // stopped, after a warm-up backlog as long as the raw test's warm-up.
    const backlog = options.messages ?? options.orders * 4;
    const relayPublishPerSecond = await measureRelayBacklog(system, backlog, options.warmup * options.warmupPasses * 4);
    expected += 2 * (backlog + options.warmup * options.warmupPasses * 4);
    await system.waitForGrants(expected);

    // 4. Outage: the coupon database down while orders keep coming (a backlog long enough to time:
    // the raw consumer drains 4N); then the backlog drains. The coupon service is warm from
    // draining the relay's backlog just before.
    const outage = await measureOutageDrain(system, timeline, expected / 2, () => pay(Math.max(20, options.orders * 2)));
    expected += 2 * outage.during.size;
    await timeline.latenciesOf(outage.during);
    await system.waitForGrants(expected);

    const peakMemoryMb = Object.fromEntries(Object.entries(services).map(([k, s]) => [k, s.peakMemoryMb()]));
    return {
      endToEndOrdersPerSecond: load.ordersPerSecond,
      warmupOrdersPerSecond: load.warmupOrdersPerSecond,
      latencyFullLoad: load.latencyFullLoad,
      requestFullLoad: load.requestFullLoad,
      latencyHalfLoad: load.latencyHalfLoad,
      relayPublishPerSecond,
      drainPerSecond: outage.drainPerSecond,
      drainBacklog: outage.drainBacklog,
      cpuSecondsPer1000Orders: load.cpuSecondsPer1000Orders,
      peakMemoryMb,
      timeline: { samples: timeline.samples, latencies: timeline.latencies, outage: { from: outage.from, to: outage.to } },
    };
  } finally {
    timeline.stop();
    transport.close();
    await system.destroy();
  }
}
