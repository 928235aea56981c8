import { createServer, Server } from 'node:http';
import { createPool, RowDataPacket } from 'mysql2/promise';
import { ServiceProcess } from '../tools/process/service-process';
import { RunNamespace } from '../tools/harness/run-namespace';
import { testMysql } from '../tools/harness/test-servers';
import { KeepAliveTransport } from '../tools/harness/http-transport';
import { pacedLoad } from '../tools/harness/paced-load';
import { DrainCost, runDrainCost } from './consumer-trace-cost';
import { medians } from './percentiles';
import { ServiceClient } from '../tools/harness/service-client';
import { turnOrder } from './turn-order';

const MYSQL = testMysql();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface CostOptions {
  amqpUrl: string;
  orders: number;
  concurrency: number;
  /** How many times the modes go there and back (each pass: every mode twice). */
  pairs: number;
  logDir: string;
  /** Uncounted orders before each timed turn (JIT, pools, connections), as for every contender. */
  warmup: number;
  /** The modes to measure (--quick: off, metrics and 10 % sampling, the ones with goals). */
  modes?: CostMode[];
  /** Only there, not back, and no uncounted first turn (--quick: the instrument works, figures are rough). */
  oneWay?: boolean;
  /** Events of the drain-cost phase (0: skipped). */
  drainCount?: number;
  /**
   * 0 or absent: the modes there and back in the given order. Otherwise the seed of a shuffle: each
   * pass is a shuffle of the modes and then its reverse, so that no mode always follows the same one
   * (what a turn leaves behind, e.g. MariaDB purging the schemas it dropped, lands on its successor).
   */
  orderSeed?: number;
}

/**
 * off: neither; metrics: /metrics only; on: metrics + every trace recorded and exported; sampled:
 * 10 % of traces; statements: every trace with a span per SQL statement (the opt-in mysql2
 * instrumentation).
 */
export type CostMode = 'off' | 'metrics' | 'on' | 'sampled' | 'statements';
const SERVICES = ['order', 'coupon', 'red-packet'] as const;
export type CostService = (typeof SERVICES)[number];
export const MODES: CostMode[] = ['off', 'metrics', 'on', 'sampled', 'statements'];

export interface CostFigures {
  /** Median end-to-end orders/s per mode (two turns per pass). */
  ordersPerSecond: Record<CostMode, number>;
  /**
   * Median CPU milliseconds (user + system, the three services together) per order: what a mode costs,
   * nearly free of the shared machine's noise that moves orders/s by up to 20 % from turn to turn.
   */
  cpuMsPerOrder: Record<CostMode, number>;
  /** Each turn's figure, to see the noise. */
  turns: Record<CostMode, number[]>;
  /** Median CPU ms per order of each service, by mode: where a mode's cost lands. */
  cpuMsPerOrderByService: Record<CostMode, Record<CostService, number>>;
  /** Each turn's CPU ms per order, in the same order. */
  cpuTurns: Record<CostMode, number[]>;
  /** The order the counted turns ran in. */
  sequence: CostMode[];
  /** Median spans the OTLP sink received per order, by mode (warm-up orders included): what a mode records. */
  spansPerOrder: Record<CostMode, number>;
  /** What the traced runs sent to the OTLP sink, and how often /metrics was scraped. */
  spansExported: number;
  scrapes: number;
  /** The coupon service draining a queue of `5 × orders` events: tracing's cost per message, with less noise. */
  drain?: DrainCost;
}

const SPAN_ID = Buffer.from('"spanId"');

/**
 * A stand-in OTLP/HTTP collector: accepts trace exports and counts their spans (JSON bodies). It
 * shares the machine with the services, so it counts without decoding: a real collector runs
 * elsewhere.
 */
async function otlpSink(): Promise<{ server: Server; url: string; spans: () => number }> {
  let spans = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      for (let at = body.indexOf(SPAN_ID); at !== -1; at = body.indexOf(SPAN_ID, at + SPAN_ID.length)) spans++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, spans: () => spans };
}

/**
 * End-to-end orders/s at full load (create + pay over REST until both grants are committed) in one
 * mode: metrics and tracing off (METRICS_ENABLED=false, no OTLP endpoint), metrics only, or both on
 * (spans exported to a local OTLP sink, all of them or a 10 % parent-based sample). With metrics on,
 * /metrics of the three services is scraped every second (Prometheus's default is once a minute,
 * typical settings 15 s): a measured run lasts seconds, and each run should pay for a few scrapes.
 * Fresh databases and services for each.
 */
async function measure(
  options: CostOptions,
  mode: CostMode,
  sink: { url: string; spans: () => number },
): Promise<{ ordersPerSecond: number; cpuMsPerOrder: number; byService: Record<CostService, number>; spansPerOrder: number; scrapes: number }> {
  const spansBefore = sink.spans();
  const on = mode !== 'off';
  const ns = new RunNamespace('o', MYSQL, options.amqpUrl);
  const dbs = ns.databases;
  const env: Record<string, string> = {
    ...ns.serviceEnv(),
    LOG_FORMAT: 'json',
    METRICS_ENABLED: String(on),
    ...(mode === 'off' || mode === 'metrics' ? {} : { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url }),
    ...(mode === 'sampled' ? { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' } : {}),
    ...(mode === 'statements' ? { OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'mysql2' } : {}),
  };
  const services = SERVICES.map((name) => new ServiceProcess(name, `${name}-${mode}`, env, options.logDir));
  const pools = [createPool({ ...MYSQL, database: dbs.coupon, connectionLimit: 2 }), createPool({ ...MYSQL, database: dbs.redPacket, connectionLimit: 2 })];
  const grants = async () => {
    let n = 0;
    for (const [pool, table] of [
      [pools[0], 'coupons'],
      [pools[1], 'red_packets'],
    ] as const)
      n += Number(((await pool.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${table}`))[0] as RowDataPacket[])[0].n);
    return n;
  };
  const transport = new KeepAliveTransport(options.concurrency);
  const client = new ServiceClient(() => services[0].url, { transport: transport.send }); // its port is known once started
  let scrapes = 0;
  const scraper = on
    ? setInterval(() => {
        for (const s of services)
          void fetch(`${s.url}/metrics`)
            .then((r) => r.text())
            .then(
              () => scrapes++,
              () => undefined,
            );
      }, 1_000)
    : undefined;
  const pay = (n: number) =>
    pacedLoad(n, { concurrency: options.concurrency }, async () => {
      const order = await client.createOrder({ userId: 'cost', amount: '100.00' });
      await client.payOrder(order.id);
    });
  const waitForGrants = async (target: number) => {
    const deadline = Date.now() + 300_000;
    while ((await grants()) < target) {
      if (Date.now() > deadline) throw new Error(`grants did not reach ${target}`);
      await sleep(20);
    }
    return Date.now();
  };
  let figures: { ordersPerSecond: number; cpuMsPerOrder: number; byService: Record<CostService, number>; scrapes: number };
  try {
    // Inside the try: a service that fails to start must not leave the others and the databases behind.
    await Promise.all(services.map((s) => s.start()));
    await pay(options.warmup); // warm-up: JIT, pools, connections
    await waitForGrants(2 * options.warmup);
    const cpuBefore = services.map((s) => s.cpuSeconds());
    const started = Date.now();
    await pay(options.orders);
    const ended = await waitForGrants(2 * options.warmup + 2 * options.orders);
    const perOrder = services.map((s, i) => ((s.cpuSeconds() - cpuBefore[i]) * 1000) / options.orders);
    const byService = Object.fromEntries(SERVICES.map((name, i) => [name, perOrder[i]])) as Record<CostService, number>;
    figures = { ordersPerSecond: options.orders / ((ended - started) / 1000), cpuMsPerOrder: perOrder.reduce((a, b) => a + b, 0), byService, scrapes };
  } finally {
    clearInterval(scraper);
    transport.close();
    await Promise.all(services.map((s) => s.kill('SIGTERM')));
    for (const pool of pools) await pool.end();
    await ns.dropDatabases();
    await ns.deleteBrokerNames(ns.declaredTopology());
  }
  // The services flushed their spans when they stopped.
  return { ...figures, spansPerOrder: (sink.spans() - spansBefore) / (options.orders + options.warmup) };
}

/**
 * The modes take turns there and back (off, metrics, on, …, on, metrics, off, or a seeded shuffle
 * and its reverse), `pairs` times: every mode's mean position in the run is then the same, so a
 * drift of the shared machine (a busy neighbour, MariaDB's background work) weighs on each mode alike. A first run, not counted, warms
 * MariaDB and RabbitMQ: the first run after a quiet spell was the slowest of a series.
 */
export async function runObservabilityCost(options: CostOptions): Promise<CostFigures> {
  const sink = await otlpSink();
  try {
    const perMode = () => Object.fromEntries(MODES.map((m) => [m, [] as number[]])) as Record<CostMode, number[]>;
    const measured = perMode();
    const cpu = perMode();
    const spans = perMode();
    const byService = Object.fromEntries(MODES.map((m) => [m, Object.fromEntries(SERVICES.map((s) => [s, [] as number[]]))])) as Record<
      CostMode,
      Record<CostService, number[]>
    >;
    let scrapes = 0;
    if (!options.oneWay) await measure(options, 'off', sink);
    const modes = options.modes ?? MODES;
    const order = turnOrder(modes, options.pairs, Boolean(options.oneWay), options.orderSeed);
    for (const mode of order) {
      const result = await measure(options, mode, sink);
      measured[mode].push(result.ordersPerSecond);
      cpu[mode].push(result.cpuMsPerOrder);
      spans[mode].push(result.spansPerOrder);
      for (const service of SERVICES) byService[mode][service].push(result.byService[service]);
      scrapes += result.scrapes;
    }
    const drainCount = options.drainCount ?? 5 * options.orders;
    const drain = drainCount > 0 ? await runDrainCost({ amqpUrl: options.amqpUrl, count: drainCount, sinkUrl: sink.url, logDir: options.logDir }) : undefined;
    return {
      ordersPerSecond: medians(measured),
      cpuMsPerOrder: medians(cpu),
      cpuMsPerOrderByService: Object.fromEntries(MODES.map((m) => [m, medians(byService[m])])) as Record<CostMode, Record<CostService, number>>,
      spansPerOrder: medians(spans),
      turns: measured,
      cpuTurns: cpu,
      sequence: order,
      spansExported: sink.spans(),
      scrapes,
      drain,
    };
  } finally {
    sink.server.close();
  }
}
