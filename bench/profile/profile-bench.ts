import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BenchSystem } from '../bench-system';
import { GrantTimeline } from '../grant-timeline';
import { measureHttpLoad } from '../http-load';
import { layersOf, perOrder, scaledTo, SOCKET_WRITES } from './cpu-layers';

/**
 * `--profile`: the three services under `node --cpu-prof`, warmed up, then `orders` orders flat out
 * from 32 clients; the CPU of that window only, per order, by layer (cpu-layers.ts) and service,
 * beside the CPU /proc measured for the same window (the profiler's own overhead included in both).
 */
export async function runProfileBench(options: {
  amqpUrl: string;
  orders: number;
  warmup: number;
  prefetch: number;
  batch: number;
  dir: string;
}): Promise<void> {
  const dir = join(options.dir, `profile-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(dir, { recursive: true });
  process.env.SERVICE_NODE_ARGS = `--cpu-prof --cpu-prof-dir=${dir}`;
  const system = await BenchSystem.start({ amqpUrl: options.amqpUrl, prefetch: options.prefetch, batch: options.batch, logDir: join(dir, 'logs') });
  delete process.env.SERVICE_NODE_ARGS;
  const pids = Object.fromEntries(Object.entries(system.services).map(([name, s]) => [String(s.pid), name]));
  const timeline = new GrantTimeline(system);
  const window = { fromUs: 0, toUs: 0 };
  const nowUs = () => Number(process.hrtime.bigint() / 1000n);
  let load!: Awaited<ReturnType<typeof measureHttpLoad>>;
  try {
    process.stdout.write(`profile: warm-up ${options.warmup}, then ${options.orders} orders under --cpu-prof...\n`);
    load = await measureHttpLoad(
      { url: system.services.order.url, processes: system.services, grants: () => system.grants(), latencies: (r) => timeline.latenciesOf(r) },
      {
        orders: options.orders,
        concurrency: 32,
        warmup: options.warmup,
        warmupPasses: 1,
        fullLoadOnly: true,
        onTimed: (edge) => (edge === 'start' ? (window.fromUs = nowUs()) : (window.toUs = nowUs())),
      },
    );
  } finally {
    timeline.stop();
    await system.destroy(); // SIGTERM: each service writes its profile as it exits
  }
  writeFileSync(
    join(dir, 'window.json'),
    JSON.stringify({ window, orders: options.orders, ordersPerSecond: load.ordersPerSecond, cpu: load.cpuSecondsPer1000Orders, pids }, null, 2),
  );
  analyzeProfiles(dir);
}

/**
 * Prints (and writes to layers.json) the CPU per order by layer and service of a profile
 * directory written by runProfileBench; `node dist/bench/profile/profile-bench.js DIR` does it
 * again for saved profiles.
 */
export function analyzeProfiles(dir: string): void {
  const { window, orders, ordersPerSecond, cpu, pids } = JSON.parse(readFileSync(join(dir, 'window.json'), 'utf8')) as {
    window: { fromUs: number; toUs: number };
    orders: number;
    ordersPerSecond: number;
    cpu: Record<string, number>;
    pids: Record<string, string>;
  };
  const options = { orders };
  const load = { ordersPerSecond, cpuSecondsPer1000Orders: cpu };
  const byService: Record<string, Record<string, number>> = {};
  const sampled: Record<string, number> = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const pid = /^CPU\.\d+\.\d+\.(\d+)\./.exec(file)?.[1];
    const service = pid && pids[pid];
    if (!service) continue;
    const raw = layersOf(join(dir, file), window);
    sampled[service] =
      Object.entries(raw)
        .filter(([layer]) => layer !== 'idle' && layer !== SOCKET_WRITES)
        .reduce((n, [, ms]) => n + ms, 0) / options.orders;
    // ms per order: the layer's share of the samples times the /proc CPU per order of the window.
    byService[service] = Object.fromEntries(perOrder(scaledTo(raw, (load.cpuSecondsPer1000Orders[service] ?? 0) * options.orders), options.orders));
  }
  const layers = [...new Set(Object.values(byService).flatMap((l) => Object.keys(l)))];
  const services = Object.keys(byService);
  const total = (layer: string) => services.reduce((n, s) => n + (byService[s][layer] ?? 0), 0);
  layers.sort((a, b) => total(b) - total(a));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(34) : c.padStart(10))).join(' ');
  process.stdout.write(
    `\nCPU ms per order by layer (${options.orders} orders at ${load.ordersPerSecond.toFixed(0)}/s, profiled)\n${line(['layer', ...services, 'all'])}\n`,
  );
  for (const layer of layers)
    process.stdout.write(`${line([layer, ...services.map((s) => (byService[s][layer] ?? 0).toFixed(3)), total(layer).toFixed(3)])}\n`);
  const sums = services.map((s) =>
    Object.entries(byService[s])
      .filter(([layer]) => layer !== SOCKET_WRITES)
      .reduce((a, [, b]) => a + b, 0),
  );
  process.stdout.write(`${line(['sum (= /proc CPU of the window)', ...sums.map((v) => v.toFixed(3)), sums.reduce((a, b) => a + b, 0).toFixed(3)])}\n`);
  process.stdout.write(`${line(['busy sample time (wall)', ...services.map((s) => (sampled[s] ?? 0).toFixed(3)), ''])}\n`);
  writeFileSync(
    join(dir, 'layers.json'),
    JSON.stringify(
      { orders: options.orders, ordersPerSecond: load.ordersPerSecond, msPerOrder: byService, sampledMsPerOrder: sampled, cpu: load.cpuSecondsPer1000Orders },
      null,
      2,
    ),
  );
  process.stdout.write(`\nprofiles: ${dir}\n`);
}

if (require.main === module) analyzeProfiles(process.argv[2]);
