import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderChart } from './chart';
import { runObservabilityCost } from './observability-cost';
import { median } from './percentiles';
import { ProjectFigures, runProjectBench } from './project-bench';
import { RawFigures, runRawBaseline } from './raw-baseline';
import { RabbitCluster } from '../tools/cluster/rabbit-cluster';

/**
 * `npm run bench [-- --orders=2000 --concurrency=32 --prefetch=64 --batch=500 --window=500 --runs=1 --observabilityonly=0 --costpairs=1 --cluster]`.
 * Measures the raw baseline and the project in the same run, on the same servers, and reports the
 * project's figures as ratios to the baseline's, so they mean something on a noisy shared machine.
 */
function args(): Record<string, number> {
  const defaults = { orders: 2000, concurrency: 32, prefetch: 64, batch: 500, window: 500, runs: 1, observabilityonly: 0, costpairs: 1, cluster: 0 };
  const parsed: Record<string, number> = { ...defaults };
  for (const arg of process.argv.slice(2)) {
    if (arg === '--cluster') {
      parsed.cluster = 1;
      continue;
    }
    const match = /^--([a-z]+)=(\d+)$/.exec(arg);
    if (!match || !(match[1] in defaults)) throw new Error(`unknown argument ${arg}; use ${Object.keys(defaults).filter((k) => k !== 'cluster').map((k) => `--${k}=N`).join(' ')} --cluster`);
    parsed[match[1]] = Number(match[2]);
  }
  return parsed;
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

type Run = { raw: RawFigures; project: ProjectFigures };
interface Target {
  label: string;
  /** For the services: one URL or a cluster's list. */
  amqpUrl: string;
  /** For the raw baseline: one node. */
  rawUrl: string;
  queueType: 'classic' | 'quorum';
  brokerPids?: number[];
}

/** The machine is shared and noisy (±20 % run to run): with --runs=N the raw baseline and the project take turns N times. */
async function measure(p: Record<string, number>, target: Target, logDir: string): Promise<Run[]> {
  const runs: Run[] = [];
  for (let i = 1; i <= p.runs; i++) {
    process.stdout.write(`${target.label}, run ${i}/${p.runs}: raw baseline (amqplib + mysql2 only)...\n`);
    const raw = await runRawBaseline({ amqpUrl: target.rawUrl, queueType: target.queueType, orders: p.orders, concurrency: p.concurrency, prefetch: p.prefetch, batch: p.batch, window: p.window });
    process.stdout.write(`${target.label}, run ${i}/${p.runs}: project (three services over REST)...\n`);
    const project = await runProjectBench({
      amqpUrl: target.amqpUrl,
      queueType: target.queueType,
      brokerPids: target.brokerPids,
      orders: p.orders,
      concurrency: p.concurrency,
      prefetch: p.prefetch,
      batch: p.batch,
      logDir,
    });
    runs.push({ raw, project });
  }
  return runs;
}

/** Prints one table (medians, with ranges over several runs) and the CPU and memory lines. */
function report(title: string, runs: Run[], extra: string[][] = []): void {
  /** Median, with the range when there was more than one run. */
  const summary = (values: number[], digits = 0) =>
    values.length === 1 ? fmt(values[0], digits) : `${fmt(median(values), digits)} (${fmt(Math.min(...values), digits)}–${fmt(Math.max(...values), digits)})`;
  const compared = (label: string, project: (f: ProjectFigures) => number, raw: (f: RawFigures) => number, target: string): [string, string, string, string, string] => [
    label,
    summary(runs.map((r) => project(r.project))),
    summary(runs.map((r) => raw(r.raw))),
    summary(runs.map((r) => project(r.project) / raw(r.raw)), 2),
    target,
  ];
  const latency = (pick: (f: ProjectFigures) => { p50: number; p95: number; p99: number }) =>
    (['p50', 'p95', 'p99'] as const).map((q) => fmt(median(runs.map((r) => pick(r.project)[q])))).join(' / ');
  const rows: Array<[string, string, string, string, string]> = [
    compared('end-to-end orders/s', (f) => f.endToEndOrdersPerSecond, (f) => f.endToEndOrdersPerSecond, '≥ 0.50'),
    compared('relay publish msg/s vs raw confirmed publish', (f) => f.relayPublishPerSecond, (f) => f.confirmedPublishPerSecond, '≥ 0.60'),
    compared('drain after outage msg/s vs raw consumer', (f) => f.drainPerSecond, (f) => f.consumerPerSecond, '≥ 0.80'),
    ['p50 / p95 / p99 ms, full load', latency((f) => f.latencyFullLoad), '', '', ''],
    [`p50 / p95 / p99 ms, half load (${fmt(median(runs.map((r) => r.project.latencyHalfLoad.rate)))}/s)`, latency((f) => f.latencyHalfLoad), '', '', 'p99 ≤ 50'],
    ...(extra as Array<[string, string, string, string, string]>),
  ];
  const widths = [46, 22, 22, 16, 9];
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  process.stdout.write(`\n${title}\n${line(['measure', 'project', 'raw', 'ratio', 'target'])}\n`);
  for (const row of rows) process.stdout.write(`${line(row)}\n`);
  const perService = (pick: (f: ProjectFigures) => Record<string, number>) =>
    JSON.stringify(Object.fromEntries(Object.keys(pick(runs[0].project)).map((k) => [k, Math.round(median(runs.map((r) => pick(r.project)[k])) * 100) / 100])));
  process.stdout.write(`\nCPU seconds per 1000 orders: ${perService((f) => f.cpuSecondsPer1000Orders)}${runs.length > 1 ? ' (medians)' : ''}\n`);
  process.stdout.write(`peak memory (MiB):           ${perService((f) => f.peakMemoryMb)}\n`);
  process.stdout.write(`drained backlog:             ${runs[runs.length - 1].project.drainBacklog} coupon messages\n`);
}

/** The cost of replication: each median on the cluster over the same on one node. */
function replicationCost(single: Run[], cluster: Run[]): void {
  const ratio = (pick: (r: Run) => number) => fmt(median(cluster.map(pick)) / median(single.map(pick)), 2);
  process.stdout.write('\ncluster (quorum) / single node (classic), medians:\n');
  for (const [label, pick] of [
    ['project end-to-end orders/s', (r: Run) => r.project.endToEndOrdersPerSecond],
    ['raw end-to-end orders/s', (r: Run) => r.raw.endToEndOrdersPerSecond],
    ['project relay publish msg/s', (r: Run) => r.project.relayPublishPerSecond],
    ['raw confirmed publish msg/s', (r: Run) => r.raw.confirmedPublishPerSecond],
    ['project drain msg/s', (r: Run) => r.project.drainPerSecond],
    ['raw consumer msg/s', (r: Run) => r.raw.consumerPerSecond],
    ['project p99 ms, half load', (r: Run) => r.project.latencyHalfLoad.p99],
  ] as const) {
    process.stdout.write(`  ${label.padEnd(32)} ${ratio(pick)}\n`);
  }
}

async function main(): Promise<void> {
  const p = args();
  const amqpUrl = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dir = join(process.cwd(), 'results', 'bench');
  mkdirSync(dir, { recursive: true });
  process.stdout.write(`bench: ${JSON.stringify(p)}\n`);
  // The cost of metrics and tracing, measured side by side in this run (every mode, there and back).
  process.stdout.write(`observability cost: off, metrics only, metrics + all traces, metrics + 10 % of traces, all traces + SQL statements, then in reverse; ${p.costpairs} time(s)...\n`);
  const cost = await runObservabilityCost({ amqpUrl, orders: p.orders, concurrency: p.concurrency, pairs: Math.max(1, p.costpairs), logDir: join(dir, `logs-${stamp}`) });
  const rate = cost.ordersPerSecond;
  const costRow = ['end-to-end orders/s, metrics + tracing on vs off', fmt(rate.on), fmt(rate.off), fmt(rate.on / rate.off, 2), '≥ 0.90'];
  const cpu = cost.cpuMsPerOrder;
  const cpuRow = `CPU ms per order (three services): off ${fmt(cpu.off, 2)}, metrics ${fmt(cpu.metrics, 2)}, all traces ${fmt(cpu.on, 2)}, 10 % of traces ${fmt(cpu.sampled, 2)}, all traces + SQL statements ${fmt(cpu.statements, 2)}; off/on ${fmt(cpu.off / cpu.on, 2)}`;
  const spans = cost.spansPerOrder;
  const spanRow = `spans per order: all traces ${fmt(spans.on, 1)}, 10 % ${fmt(spans.sampled, 1)}, with SQL statements ${fmt(spans.statements, 1)}`;
  process.stdout.write(
    `${costRow.join('  |  ')}\n  ${cpuRow}\n  ${spanRow}\n  metrics only ${fmt(rate.metrics)} (${fmt(rate.metrics / rate.off, 2)}), 10 % of traces ${fmt(rate.sampled)} (${fmt(rate.sampled / rate.off, 2)}), all traces + SQL statements ${fmt(rate.statements)} (${fmt(rate.statements / rate.off, 2)}); ${cost.spansExported} spans exported, ${cost.scrapes} scrapes\n  turns: ${JSON.stringify(cost.turns, (_, v: unknown) => (typeof v === 'number' ? Math.round(v) : v))}\n` +
      `  coupon service draining ${5 * p.orders} queued events, CPU µs per message (msg/s): off ${fmt(cost.drain.cpuMicrosPerMessage.off)} (${fmt(cost.drain.messagesPerSecond.off)}), tracing on but trace sampled out ${fmt(cost.drain.cpuMicrosPerMessage.untraced)} (${fmt(cost.drain.messagesPerSecond.untraced)}), traced ${fmt(cost.drain.cpuMicrosPerMessage.traced)} (${fmt(cost.drain.messagesPerSecond.traced)})\n`,
  );
  if (p.observabilityonly) {
    writeFileSync(join(dir, `bench-${stamp}-observability.json`), JSON.stringify({ parameters: p, cost }, null, 2));
    return;
  }

  const runs = await measure(p, { label: 'single node', amqpUrl, rawUrl: amqpUrl, queueType: 'classic' }, join(dir, `logs-${stamp}`));
  report('single node, classic queues', runs, [costRow]);

  // --cluster: the same measurements on a fresh three-node cluster of the bench's own (ports and
  // directories under results/bench), quorum queues, the raw baseline on the same cluster.
  let clusterRuns: Run[] | undefined;
  if (p.cluster) {
    const cluster = await RabbitCluster.create(3, `bench${process.pid}`);
    try {
      process.stdout.write('\nstarting a three-node RabbitMQ cluster...\n');
      await cluster.start();
      const brokerPids = cluster.nodes.map((n) => n.pid()).filter((pid): pid is number => pid !== undefined);
      clusterRuns = await measure(
        p,
        { label: 'cluster', amqpUrl: cluster.urls(), rawUrl: cluster.nodes[0].url, queueType: 'quorum', brokerPids },
        join(dir, `logs-${stamp}-cluster`),
      );
    } finally {
      await cluster.destroy();
    }
    report('three-node cluster, quorum queues (raw baseline on the same cluster)', clusterRuns);
    replicationCost(runs, clusterRuns);
  }

  const last = runs[runs.length - 1];
  const project = last.project;
  const file = join(dir, `bench-${stamp}.json`);
  const { timeline, ...figures } = project;
  const strip = (list: Run[]) => list.map((r) => ({ raw: r.raw, project: { ...r.project, timeline: undefined } }));
  writeFileSync(file, JSON.stringify({ parameters: p, observabilityCost: cost, runs: strip(runs), cluster: clusterRuns && strip(clusterRuns), lastRun: { project: figures, timeline } }, null, 2));
  const chart = join(dir, `bench-${stamp}.svg`);
  writeFileSync(chart, renderChart(timeline.samples, timeline.latencies, timeline.outage));
  process.stdout.write(`\nresults: ${file}\nchart:   ${chart}\n`);
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`bench failed: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
