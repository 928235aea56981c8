import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { renderChart } from './chart';
import { CostFigures, runObservabilityCost } from './observability-cost';
import { median } from './percentiles';
import { GOALS, Goal, goalText, verdict } from './goals';
import { LoadFigures } from './http-load';
import { runPeer } from './peer/peer-bench';
import { runRawHttp } from './raw-http/raw-http-bench';
import { runTablesBench } from './tables/tables-bench';
import { runProfileBench } from './profile/profile-bench';
import { ProjectFigures, runProjectBench } from './project-bench';
import { RawFigures, runRawBaseline } from './raw-baseline';
import { RabbitCluster } from '../tools/cluster/rabbit-cluster';
import { freshSeed } from '../tools/nemesis/prng';

/**
 * `npm run bench [-- --orders=2000 --warmup=2000 --runs=3 --concurrency=32 --prefetch=64 --batch=500 --window=500 --observabilityonly=0 --costpairs=2 --costseed=N --cluster --quick --warmup-check]`.
 * Measures the project, the raw amqplib + mysql2 script, the same raw job behind node:http, and
 * the NestJS-docs peer in the same run, taking turns, each warmed up before each timed phase, and
 * reports medians with ranges, ratios to the references and the goals met or not.
 * --quick: one short round of everything (CI's check that the instrument works, < 3 minutes).
 * --warmup-check: two warm-up passes instead of one, printed beside the timed pass.
 * --tables [--inbox=N --outbox=N --deadletters=N --backlog=N]: how cost grows with the tables
 * (tables/tables-bench.ts), instead of the comparison; issue 24's sizes are 5000000, 1000000,
 * 100000 and 200000, the defaults smaller for time.
 * --profile: the services under --cpu-prof, CPU per order by layer (profile/profile-bench.ts).
 * --costpairs, --costseed: the observability-cost phase's passes, and the seed of their shuffled
 * order (turn-order.ts; a fresh one, printed, when not given; --quick keeps the fixed order).
 */
const FLAGS = { cluster: 'cluster', quick: 'quick', 'warmup-check': 'warmupcheck', tables: 'tables', profile: 'profile' } as const;

function args(): Record<string, number> {
  const defaults = {
    orders: 2000,
    warmup: 2000,
    concurrency: 32,
    prefetch: 64,
    batch: 500,
    window: 500,
    runs: 3,
    observabilityonly: 0,
    costpairs: 2,
    costseed: 0,
    cluster: 0,
    quick: 0,
    warmupcheck: 0,
    tables: 0,
    profile: 0,
    inbox: 500_000,
    outbox: 200_000,
    deadletters: 100_000,
    backlog: 20_000,
  };
  const parsed: Record<string, number> = { ...defaults };
  const given = new Set<string>();
  for (const arg of process.argv.slice(2)) {
    const flag = FLAGS[arg.replace(/^--/, '') as keyof typeof FLAGS];
    if (flag) {
      parsed[flag] = 1;
      continue;
    }
    const match = /^--([a-z]+)=(\d+)$/.exec(arg);
    if (!match || !(match[1] in defaults))
      throw new Error(
        `unknown argument ${arg}; use ${Object.keys(defaults)
          .filter((k) => !Object.values(FLAGS).includes(k as never))
          .map((k) => `--${k}=N`)
          .join(' ')} ${Object.keys(FLAGS)
          .map((f) => `--${f}`)
          .join(' ')}`,
      );
    parsed[match[1]] = Number(match[2]);
    given.add(match[1]);
  }
  // --quick: small phases, one round, the observability modes that have goals; explicit values win.
  if (parsed.quick) for (const [k, v] of Object.entries({ orders: 300, warmup: 300, runs: 1 })) if (!given.has(k)) parsed[k] = v;
  return parsed;
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

type Run = { raw: RawFigures; rawHttp: LoadFigures; peer: LoadFigures; project: ProjectFigures };
type Contender = keyof Run;
const CONTENDERS: Contender[] = ['project', 'raw', 'rawHttp', 'peer'];

interface Target {
  label: string;
  /** For the services: one URL or a cluster's list. */
  amqpUrl: string;
  /** For the raw references and the peer: one node. */
  rawUrl: string;
  queueType: 'classic' | 'quorum';
  brokerPids?: number[];
}

/**
 * The machine is shared and noisy (±20 % run to run): the four contenders take turns, and each
 * run starts with the next one (run 1: project, raw, raw HTTP, peer; run 2: raw, raw HTTP, peer,
 * project; ...), so none always runs first or last.
 */
async function measure(p: Record<string, number>, target: Target, logDir: string): Promise<Run[]> {
  const runs: Run[] = [];
  const load = {
    orders: p.orders,
    concurrency: p.concurrency,
    warmup: p.warmup,
    warmupPasses: p.warmupcheck ? 2 : 1,
    messages: Math.max(4 * p.orders, 10 * p.batch),
    brokerPids: target.brokerPids,
  };
  const contenders: Record<Contender, () => Promise<unknown>> = {
    project: () => runProjectBench({ ...load, amqpUrl: target.amqpUrl, queueType: target.queueType, prefetch: p.prefetch, batch: p.batch, logDir }),
    raw: () => runRawBaseline({ ...load, amqpUrl: target.rawUrl, queueType: target.queueType, prefetch: p.prefetch, batch: p.batch, window: p.window }),
    rawHttp: () => runRawHttp({ ...load, amqpUrl: target.rawUrl, queueType: target.queueType, prefetch: p.prefetch, batch: p.batch, logDir }),
    peer: () => runPeer({ ...load, amqpUrl: target.rawUrl, prefetch: p.prefetch, logDir }),
  };
  const names: Record<Contender, string> = {
    project: 'project (three services over REST)',
    raw: 'raw script (amqplib + mysql2 only)',
    rawHttp: 'raw job behind node:http',
    peer: 'NestJS-docs peer (TypeORM save + ClientProxy.emit)',
  };
  for (let i = 0; i < p.runs; i++) {
    const run: Partial<Record<Contender, unknown>> = {};
    for (let k = 0; k < CONTENDERS.length; k++) {
      const c = CONTENDERS[(i + k) % CONTENDERS.length];
      const started = Date.now();
      process.stdout.write(`${target.label}, run ${i + 1}/${p.runs}: ${names[c]}...`);
      run[c] = await contenders[c]();
      process.stdout.write(` ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    }
    runs.push(run as Run);
  }
  return runs;
}

/** Median, with the range when there was more than one run. */
const summary = (values: number[], digits = 0) =>
  values.length === 1 ? fmt(values[0], digits) : `${fmt(median(values), digits)} (${fmt(Math.min(...values), digits)}–${fmt(Math.max(...values), digits)})`;

const sum = (record: Record<string, number>, keys: string[]) => keys.reduce((n, k) => n + (record[k] ?? 0), 0);
const PROJECT_SERVICES = ['order', 'coupon', 'redPacket'];
const PEER_SERVICES = ['peerOrder', 'peerCoupon', 'peerRedPacket'];

/** The guarantees each contender gives: read beside its throughput. */
const GUARANTEES: Record<Contender, string> = {
  project: 'outbox in the order tx; confirms + mandatory; inbox dedupe; retry ladder + dead letters',
  raw: 'outbox in the order tx; confirms + mandatory; unique-key dedupe; no retries, no DLQ',
  rawHttp: 'as the raw script, behind node:http; no validation',
  peer: 'NO outbox: a crash between commit and emit LOSES the event; failed grant dropped (nack)',
};

/** Prints the side-by-side table (medians, with ranges over several runs) and the goals. */
function report(title: string, runs: Run[], cost?: CostFigures): Array<{ goal: Goal; figure: number; verdict: string }> {
  // The four contenders' figures differ in shape, and each picker below reads the contender it names.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a union here would need a cast in every picker
  const pick = (c: Contender, f: (r: any) => number) => runs.map((r) => f(r[c]));
  const e2e = (c: Contender) => pick(c, (r) => (c === 'project' || c === 'raw' ? r.endToEndOrdersPerSecond : r.ordersPerSecond));
  const cpuTotal = (c: Contender) =>
    pick(c, (r) =>
      c === 'project'
        ? sum(r.cpuSecondsPer1000Orders, PROJECT_SERVICES)
        : c === 'peer'
          ? sum(r.cpuSecondsPer1000Orders, PEER_SERVICES)
          : c === 'rawHttp'
            ? r.cpuSecondsPer1000Orders.rawHttp
            : r.cpuSecondsPer1000Orders,
    );
  const half = (c: Exclude<Contender, 'raw'>, q: 'p50' | 'p99') => pick(c, (r) => r.latencyHalfLoad[q]);
  const ratio = (a: number[], b: number[]) => a.map((v, i) => v / b[i]);
  const widths = [44, 20, 20, 20, 20];
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i] ?? 12))).join('  ');
  process.stdout.write(
    `\n${title} (medians of ${runs.length} run(s), range in brackets)\n${line(['measure', 'project', 'raw script', 'raw HTTP', 'NestJS-docs peer'])}\n`,
  );
  const rows: string[][] = [
    ['end-to-end orders/s', ...CONTENDERS.map((c) => summary(e2e(c)))],
    ['CPU ms/order, own processes', ...CONTENDERS.map((c) => summary(cpuTotal(c), 2))],
    [
      '  order service CPU ms/order',
      summary(
        pick('project', (r) => r.cpuSecondsPer1000Orders.order),
        2,
      ),
      '',
      '(all in one)',
      summary(
        pick('peer', (r) => r.cpuSecondsPer1000Orders.peerOrder),
        2,
      ),
    ],
    [
      '  mariadb + rabbitmq CPU ms/order',
      ...CONTENDERS.map((c) =>
        c === 'raw'
          ? ''
          : summary(
              pick(c, (r) => (r.cpuSecondsPer1000Orders.mariadb ?? 0) + (r.cpuSecondsPer1000Orders.rabbitmq ?? 0)),
              2,
            ),
      ),
    ],
    [
      'p99 ms create + pay, full load',
      summary(pick('project', (r) => r.requestFullLoad?.p99)),
      '',
      summary(pick('rawHttp', (r) => r.requestFullLoad.p99)),
      summary(pick('peer', (r) => r.requestFullLoad.p99)),
    ],
    [
      'p50 / p99 ms at half load',
      summary(half('project', 'p50')) + ' / ' + summary(half('project', 'p99')),
      '',
      summary(half('rawHttp', 'p50')) + ' / ' + summary(half('rawHttp', 'p99')),
      summary(half('peer', 'p50')) + ' / ' + summary(half('peer', 'p99')),
    ],
    [
      'relay msg/s vs raw confirmed publish',
      summary(pick('project', (r) => r.relayPublishPerSecond)),
      summary(pick('raw', (r) => r.confirmedPublishPerSecond)),
      '',
      '',
    ],
    ['drain msg/s vs raw consumer', summary(pick('project', (r) => r.drainPerSecond)), summary(pick('raw', (r) => r.consumerPerSecond)), '', ''],
    [
      'warm-up orders/s (pass 1, 2, …)',
      ...CONTENDERS.map(
        (c) =>
          pick(c, (r) => r.warmupOrdersPerSecond).length &&
          runs.map((r) => (r[c] as { warmupOrdersPerSecond: number[] }).warmupOrdersPerSecond.map((v) => fmt(v)).join(',')).join(' | '),
      ),
    ].map(String),
  ];
  for (const row of rows) process.stdout.write(`${line(row)}\n`);
  if (runs[0].project.warmupOrdersPerSecond.length >= 2) {
    // --warmup-check: pass 2 is what a timed phase after one warm-up measures, the timed phase
    // what it measures after two. Their ratio against the spread of the runs says whether a
    // second warm-up changes anything beyond the noise.
    process.stdout.write('warm-up check (orders/s: pass 1, pass 2 = timed after one warm-up, timed after two; ratio timed / pass 2):\n');
    for (const c of CONTENDERS) {
      const w = pick(c, (r) => r.warmupOrdersPerSecond[0]);
      const w2 = pick(c, (r) => r.warmupOrdersPerSecond[1]);
      const t = e2e(c);
      process.stdout.write(`  ${c.padEnd(8)} ${summary(w)}  ${summary(w2)}  ${summary(t)}  ratio ${summary(ratio(t, w2), 2)}\n`);
    }
  }
  process.stdout.write('guarantees:\n');
  for (const c of CONTENDERS) process.stdout.write(`  ${c.padEnd(8)} ${GUARANTEES[c]}\n`);

  const goals: Array<[Goal, number[]]> = [
    [GOALS.endToEndVsRaw, ratio(e2e('project'), e2e('raw'))],
    [GOALS.endToEndVsRawHttp, ratio(e2e('project'), e2e('rawHttp'))],
    [
      GOALS.relayVsRawPublish,
      ratio(
        pick('project', (r) => r.relayPublishPerSecond),
        pick('raw', (r) => r.confirmedPublishPerSecond),
      ),
    ],
    [
      GOALS.drainVsRawConsumer,
      ratio(
        pick('project', (r) => r.drainPerSecond),
        pick('raw', (r) => r.consumerPerSecond),
      ),
    ],
    [GOALS.orderServiceCpu, pick('project', (r) => r.cpuSecondsPer1000Orders.order)],
    [GOALS.p99HalfLoad, half('project', 'p99')],
    ...(cost
      ? ([
          [GOALS.metricsOnVsOff, [cost.ordersPerSecond.metrics / cost.ordersPerSecond.off]],
          [GOALS.tracingSampledVsOff, [cost.ordersPerSecond.sampled / cost.ordersPerSecond.off]],
        ] as Array<[Goal, number[]]>)
      : []),
  ];
  process.stdout.write(`\ngoals (issue 24; reported, never failing the bench)\n${line(['goal', 'figure', 'target', 'verdict'])}\n`);
  const verdicts = goals.map(([goal, values]) => {
    const figure = median(values);
    const v = verdict(goal, figure);
    process.stdout.write(`${line([goal.label, summary(values, 2), goalText(goal), v])}\n`);
    return { goal, figure, verdict: v };
  });
  process.stdout.write(
    `\nCPU seconds per 1000 orders, project: ${JSON.stringify(Object.fromEntries(Object.keys(runs[0].project.cpuSecondsPer1000Orders).map((k) => [k, Math.round(median(pick('project', (r) => r.cpuSecondsPer1000Orders[k])) * 100) / 100])))}\n`,
  );
  process.stdout.write(`peak memory (MiB), project: ${JSON.stringify(runs[runs.length - 1].project.peakMemoryMb)}\n`);
  process.stdout.write(`drained backlog: ${runs[runs.length - 1].project.drainBacklog} coupon messages\n`);
  return verdicts;
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

/** The machine's load when the bench starts and ends: figures are read against it. */
function machineLoad(): string {
  const [one, five, fifteen] = loadavg();
  // The Node.js version matters: before 24, AsyncLocalStorage (tracing's context) ran on async hooks.
  return `load average ${one.toFixed(2)} / ${five.toFixed(2)} / ${fifteen.toFixed(2)} on ${cpus().length} cores, Node.js ${process.version}`;
}

async function main(): Promise<void> {
  const started = Date.now();
  const p = args();
  const amqpUrl = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dir = join(process.cwd(), 'results', 'bench');
  mkdirSync(dir, { recursive: true });
  const loadBefore = machineLoad();
  if (p.profile) {
    process.stdout.write(`bench --profile: ${JSON.stringify(p)}\n${loadBefore}\n`);
    await runProfileBench({ amqpUrl, orders: p.orders, warmup: p.warmup, prefetch: p.prefetch, batch: p.batch, dir });
    process.stdout.write(`${machineLoad()}\n`);
    return;
  }
  if (p.tables) {
    process.stdout.write(`bench --tables: ${JSON.stringify(p)}\n${loadBefore}\n`);
    await runTablesBench({
      amqpUrl,
      inbox: p.inbox,
      outbox: p.outbox,
      deadletters: p.deadletters,
      backlog: p.backlog,
      orders: p.orders,
      warmup: p.warmup,
      prefetch: p.prefetch,
      batch: p.batch,
      levels: [1, 8, 32, 128],
      dir,
    });
    process.stdout.write(`${machineLoad()}\nbench --tables took ${Math.round((Date.now() - started) / 1000)} s\n`);
    return;
  }
  process.stdout.write(`bench: ${JSON.stringify(p)}\n${loadBefore}\n`);
  // The cost of metrics and tracing, measured side by side in this run (every mode, there and back).
  const modes = p.quick ? (['off', 'metrics', 'sampled'] as const) : undefined;
  const costSeed = p.costseed || (p.quick ? 0 : freshSeed());
  process.stdout.write(
    `observability cost: ${modes ? modes.join(', ') : 'off, metrics only, metrics + all traces, metrics + 10 % of traces, all traces + SQL statements'}${p.quick && !p.costseed ? ', one way' : costSeed ? `, shuffled (--costseed=${costSeed}), then in reverse` : ', then in reverse'}; ${p.costpairs} time(s)...\n`,
  );
  const cost = await runObservabilityCost({
    amqpUrl,
    orders: p.orders,
    warmup: p.warmup,
    concurrency: p.concurrency,
    pairs: Math.max(1, p.costpairs),
    logDir: join(dir, `logs-${stamp}`),
    modes: modes && [...modes],
    drainCount: p.quick ? 0 : undefined,
    oneWay: Boolean(p.quick),
    orderSeed: costSeed,
  });
  const rate = cost.ordersPerSecond;
  const cpu = cost.cpuMsPerOrder;
  const spans = cost.spansPerOrder;
  process.stdout.write(
    `  orders/s: off ${fmt(rate.off)}, metrics ${fmt(rate.metrics)} (${fmt(rate.metrics / rate.off, 2)}), 10 % of traces ${fmt(rate.sampled)} (${fmt(rate.sampled / rate.off, 2)}), all traces ${fmt(rate.on)} (${fmt(rate.on / rate.off, 2)}), all traces + SQL statements ${fmt(rate.statements)} (${fmt(rate.statements / rate.off, 2)})\n` +
      `  CPU ms per order (three services): off ${fmt(cpu.off, 2)}, metrics ${fmt(cpu.metrics, 2)}, 10 % of traces ${fmt(cpu.sampled, 2)}, all traces ${fmt(cpu.on, 2)}, all traces + SQL statements ${fmt(cpu.statements, 2)}\n` +
      `  CPU ms per order by service (order / coupon / red packet): ${(Object.keys(cpu) as Array<keyof typeof cpu>)
        .filter((m) => Number.isFinite(cpu[m]))
        .map(
          (m) =>
            `${m} ${Object.values(cost.cpuMsPerOrderByService[m])
              .map((v) => fmt(v, 2))
              .join(' / ')}`,
        )
        .join(', ')}\n` +
      `  spans per order: all traces ${fmt(spans.on, 1)}, 10 % ${fmt(spans.sampled, 1)}, with SQL statements ${fmt(spans.statements, 1)}; ${cost.spansExported} spans exported, ${cost.scrapes} scrapes\n` +
      `  turns (orders/s): ${JSON.stringify(cost.turns, (_, v: unknown) => (typeof v === 'number' ? Math.round(v) : v))}\n` +
      `  turns (CPU ms per order): ${JSON.stringify(cost.cpuTurns, (_, v: unknown) => (typeof v === 'number' ? Math.round(v * 100) / 100 : v))}\n` +
      `  sequence: ${cost.sequence.join(' → ')}\n` +
      (cost.drain
        ? `  coupon service draining ${5 * p.orders} queued events, CPU µs per message (msg/s): off ${fmt(cost.drain.cpuMicrosPerMessage.off)} (${fmt(cost.drain.messagesPerSecond.off)}), tracing on but trace sampled out ${fmt(cost.drain.cpuMicrosPerMessage.untraced)} (${fmt(cost.drain.messagesPerSecond.untraced)}), traced ${fmt(cost.drain.cpuMicrosPerMessage.traced)} (${fmt(cost.drain.messagesPerSecond.traced)})\n`
        : ''),
  );
  if (p.observabilityonly) {
    writeFileSync(join(dir, `bench-${stamp}-observability.json`), JSON.stringify({ parameters: p, cost }, null, 2));
    return;
  }

  const runs = await measure(p, { label: 'single node', amqpUrl, rawUrl: amqpUrl, queueType: 'classic' }, join(dir, `logs-${stamp}`));
  const goals = report('single node, classic queues', runs, cost);

  // --cluster: the same measurements on a fresh three-node cluster of the bench's own (ports and
  // directories under results/bench), quorum queues, the references on the same cluster.
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
    report('three-node cluster, quorum queues (references on the same cluster)', clusterRuns);
    replicationCost(runs, clusterRuns);
  }

  const last = runs[runs.length - 1];
  const project = last.project;
  const file = join(dir, `bench-${stamp}.json`);
  const { timeline, ...figures } = project;
  const strip = (list: Run[]) => list.map((r) => ({ ...r, project: { ...r.project, timeline: undefined } }));
  const seconds = Math.round((Date.now() - started) / 1000);
  const loadAfter = machineLoad();
  writeFileSync(
    file,
    JSON.stringify(
      {
        parameters: p,
        machine: { before: loadBefore, after: loadAfter },
        seconds,
        goals,
        observabilityCost: cost,
        runs: strip(runs),
        cluster: clusterRuns && strip(clusterRuns),
        lastRun: { project: figures, timeline },
      },
      null,
      2,
    ),
  );
  const chart = join(dir, `bench-${stamp}.svg`);
  writeFileSync(chart, renderChart(timeline.samples, timeline.latencies, timeline.outage));
  process.stdout.write(`\n${loadAfter}\nbench took ${seconds} s\nresults: ${file}\nchart:   ${chart}\n`);
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`bench failed: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
