import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderChart } from './chart';
import { runProjectBench } from './project-bench';
import { runRawBaseline } from './raw-baseline';

/**
 * `npm run bench [-- --orders=2000 --concurrency=32 --prefetch=32 --batch=500 --window=500]`.
 * Measures the raw baseline and the project in the same run, on the same servers, and reports the
 * project's figures as ratios to the baseline's, so they mean something on a noisy shared machine.
 */
function args(): Record<string, number> {
  const defaults = { orders: 2000, concurrency: 32, prefetch: 32, batch: 500, window: 500 };
  const parsed: Record<string, number> = { ...defaults };
  for (const arg of process.argv.slice(2)) {
    const match = /^--([a-z]+)=(\d+)$/.exec(arg);
    if (!match || !(match[1] in defaults)) throw new Error(`unknown argument ${arg}; use ${Object.keys(defaults).map((k) => `--${k}=N`).join(' ')}`);
    parsed[match[1]] = Number(match[2]);
  }
  return parsed;
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

async function main(): Promise<void> {
  const p = args();
  const amqpUrl = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dir = join(process.cwd(), 'results', 'bench');
  mkdirSync(dir, { recursive: true });

  process.stdout.write(`bench: ${JSON.stringify(p)}\nraw baseline (amqplib + mysql2 only)...\n`);
  const raw = await runRawBaseline({ amqpUrl, orders: p.orders, concurrency: p.concurrency, prefetch: p.prefetch, batch: p.batch, window: p.window });
  process.stdout.write('project (three services over REST)...\n');
  const project = await runProjectBench({ amqpUrl, orders: p.orders, concurrency: p.concurrency, prefetch: p.prefetch, batch: p.batch, logDir: join(dir, `logs-${stamp}`) });

  const ratio = (a: number, b: number) => a / b;
  const rows: Array<[string, string, string, string, string]> = [
    ['end-to-end orders/s', fmt(project.endToEndOrdersPerSecond), fmt(raw.endToEndOrdersPerSecond), fmt(ratio(project.endToEndOrdersPerSecond, raw.endToEndOrdersPerSecond), 2), '≥ 0.50'],
    ['relay publish msg/s vs raw confirmed publish', fmt(project.relayPublishPerSecond), fmt(raw.confirmedPublishPerSecond), fmt(ratio(project.relayPublishPerSecond, raw.confirmedPublishPerSecond), 2), '≥ 0.60'],
    ['drain after outage msg/s vs raw consumer', fmt(project.drainPerSecond), fmt(raw.consumerPerSecond), fmt(ratio(project.drainPerSecond, raw.consumerPerSecond), 2), '≥ 0.80'],
    ['p50 / p95 / p99 ms, full load', `${fmt(project.latencyFullLoad.p50)} / ${fmt(project.latencyFullLoad.p95)} / ${fmt(project.latencyFullLoad.p99)}`, '', '', ''],
    [`p50 / p95 / p99 ms, half load (${project.latencyHalfLoad.rate}/s)`, `${fmt(project.latencyHalfLoad.p50)} / ${fmt(project.latencyHalfLoad.p95)} / ${fmt(project.latencyHalfLoad.p99)}`, '', '', 'p99 ≤ 50'],
  ];
  const widths = [46, 22, 10, 7, 9];
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  process.stdout.write(`\n${line(['measure', 'project', 'raw', 'ratio', 'target'])}\n`);
  for (const row of rows) process.stdout.write(`${line(row)}\n`);
  process.stdout.write(`\nCPU seconds per 1000 orders: ${JSON.stringify(project.cpuSecondsPer1000Orders)}\n`);
  process.stdout.write(`peak memory (MiB):           ${JSON.stringify(project.peakMemoryMb)}\n`);
  process.stdout.write(`drained backlog:             ${project.drainBacklog} coupon messages\n`);

  const file = join(dir, `bench-${stamp}.json`);
  const { timeline, ...figures } = project;
  writeFileSync(file, JSON.stringify({ parameters: p, raw, project: figures, timeline }, null, 2));
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
