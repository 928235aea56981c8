import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool, RowDataPacket } from 'mysql2/promise';
import { KeepAliveTransport } from '../../tools/harness/http-transport';
import { ServiceClient } from '../../tools/harness/service-client';
import { BenchSystem } from '../bench-system';
import { GrantTimeline } from '../grant-timeline';
import { LoadFigures, measureHttpLoad } from '../http-load';
import { median } from '../percentiles';
import { fillOutbox, relayPublishRate } from '../relay-backlog';
import { Curve, renderCurves } from './curve-chart';
import { explainAll, PlanRow } from './query-plans';
import { fillDeadLetters, fillInbox, fillSentOutbox } from './table-fill';

export interface TablesOptions {
  amqpUrl: string;
  /** Rows in each consumer's inbox (issue 24: 5,000,000). */
  inbox: number;
  /** Sent outbox rows awaiting cleanup (1,000,000). */
  outbox: number;
  /** Pending dead letters in the coupon service (100,000). */
  deadletters: number;
  /** Queued events drained after the fill (200,000). */
  backlog: number;
  orders: number;
  warmup: number;
  prefetch: number;
  batch: number;
  levels: number[];
  dir: string;
}

interface StateFigures {
  load: LoadFigures;
  curve: Array<{ clients: number; ordersPerSecond: number; p99: number; pairP99: number }>;
  api: Record<string, number>;
  plans: PlanRow[];
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

/**
 * How cost grows with the tables: the project measured with empty tables, then again with an
 * inbox, a sent-but-not-cleaned outbox and a dead-letter table grown to the given sizes (filled by
 * INSERT ... SELECT, table-fill.ts), on the same services in the same run: end-to-end orders/s and
 * latency, the concurrency curve, the dead-letter API (list, groups, re-drive), the query plans and
 * times of the statements on those tables; then a backlog drained with the tables full.
 */
export async function runTablesBench(options: TablesOptions): Promise<void> {
  const token = randomBytes(16).toString('hex');
  const logDir = join(options.dir, `logs-tables-${Date.now()}`);
  const system = await BenchSystem.start({
    amqpUrl: options.amqpUrl,
    prefetch: options.prefetch,
    batch: options.batch,
    logDir,
    env: { OPERATOR_TOKEN: token },
  });
  const timeline = new GrantTimeline(system);
  const transport = new KeepAliveTransport(4);
  const operator = new ServiceClient(system.services.coupon.url, { transport: transport.send, operatorToken: token });
  const contender = {
    url: system.services.order.url,
    processes: system.services,
    grants: () => system.grants(),
    latencies: (r: Map<string, number>) => timeline.latenciesOf(r),
  };
  const pools = { order: system.pools.order, coupon: system.pools.coupon };
  const report: Record<string, unknown> = { options: { ...options, dir: undefined } };

  /** Median ms of `n` calls of an operator route (its status checked). */
  const timeRoute = async (method: string, path: string, body?: unknown, n = 5) => {
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const started = process.hrtime.bigint();
      const answer = await operator.request(method, path, { operator: true, body });
      if (answer.status >= 300) throw new Error(`${method} ${path}: HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    return median(times);
  };
  const measureState = async (label: string, deadLetters: number): Promise<StateFigures> => {
    process.stdout.write(`${label}: end to end (warm-up ${options.warmup}, ${options.orders} orders, 32 clients)...\n`);
    const load = await measureHttpLoad(contender, { orders: options.orders, concurrency: 32, warmup: options.warmup, warmupPasses: 1 });
    const curve: StateFigures['curve'] = [];
    for (const clients of options.levels) {
      const orders = Math.max(200, Math.min(options.orders, clients * 25));
      const figures = await measureHttpLoad(contender, { orders, concurrency: clients, warmup: Math.min(200, orders), warmupPasses: 1, fullLoadOnly: true });
      curve.push({ clients, ordersPerSecond: figures.ordersPerSecond, p99: figures.requestFullLoad.p99, pairP99: figures.latencyFullLoad.p99 });
      process.stdout.write(
        `  ${clients} clients: ${fmt(figures.ordersPerSecond)} orders/s, p99 create+pay ${fmt(figures.requestFullLoad.p99)} ms, pay→grants ${fmt(figures.latencyFullLoad.p99)} ms\n`,
      );
    }
    const lastPage = Math.max(1, Math.ceil(deadLetters / 100));
    const api = {
      listFirstPageMs: await timeRoute('GET', '/dead-letters?status=PENDING&page=1&limit=100'),
      listLastPageMs: await timeRoute('GET', `/dead-letters?status=PENDING&page=${lastPage}&limit=100`),
      groupsMs: await timeRoute('GET', '/dead-letters/groups'),
      // The same last page by keyset (?after=, no total): the 100 pending letters below the highest.
      listLastPageByIdMs: await timeRoute('GET', `/dead-letters?status=PENDING&after=${await pendingIdBelowTop(system.pools.coupon, 100)}&limit=100`),
    };
    const plans = await explainAll(pools, (lastPage - 1) * 100);
    return { load, curve, api, plans };
  };

  try {
    const empty = await measureState('empty tables', 0);
    report.empty = empty;

    const consumerOf = async (pool: typeof pools.coupon) =>
      String(((await pool.query<RowDataPacket[]>('SELECT consumer FROM inbox_messages LIMIT 1'))[0] as RowDataPacket[])[0].consumer);
    const [couponConsumer, redPacketConsumer] = [await consumerOf(system.pools.coupon), await consumerOf(system.pools.redPacket)];
    const couponQueue = `${system.ns.prefix}coupon.payment-succeeded`;
    const [[queueRow]] = (await system.pools.coupon.query<RowDataPacket[]>('SELECT original_queue AS q FROM dead_letters LIMIT 1').catch(() => [[]])) as [
      RowDataPacket[],
      unknown,
    ];
    process.stdout.write(
      `\nfilling: ${options.inbox} inbox rows in each consumer, ${options.outbox} sent outbox rows, ${options.deadletters} dead letters (INSERT ... SELECT)...\n`,
    );
    const fill = {
      couponInboxS: await fillInbox(system.pools.coupon, couponConsumer, options.inbox),
      redPacketInboxS: await fillInbox(system.pools.redPacket, redPacketConsumer, options.inbox),
      outboxS: await fillSentOutbox(system.pools.order, options.outbox),
      deadLettersS: await fillDeadLetters(system.pools.coupon, queueRow?.q ?? couponQueue, options.deadletters),
    };
    for (const [pool, table] of [
      [system.pools.coupon, 'inbox_messages'],
      [system.pools.redPacket, 'inbox_messages'],
      [system.pools.order, 'outbox_messages'],
      [system.pools.coupon, 'dead_letters'],
    ] as const)
      await pool.query(`ANALYZE TABLE ${table}`);
    const sizes: Record<string, number> = {};
    for (const [name, db] of [
      ['order', system.ns.databases.order],
      ['coupon', system.ns.databases.coupon],
      ['redPacket', system.ns.databases.redPacket],
    ] as const) {
      const [rows] = await system.pools.order.query<RowDataPacket[]>(
        'SELECT table_name AS t, ROUND((data_length + index_length) / 1048576) AS mb FROM information_schema.tables WHERE table_schema = ?',
        [db],
      );
      for (const row of rows) if (Number(row.mb) > 0) sizes[`${name}.${row.t}`] = Number(row.mb);
    }
    process.stdout.write(`  filled in ${JSON.stringify(fill)} s; MiB on disk (data + indexes): ${JSON.stringify(sizes)}\n`);
    report.fill = { seconds: fill, mib: sizes };

    const full = await measureState('full tables', options.deadletters);
    // Re-drive one failure group through the API: a synchronous bulk call of 1,000 letters, the
    // most it takes (one letter a transaction ran at ~20 letters/s and outlived the 30 s request
    // timeout; batches of 50 since).
    const started = Date.now();
    const redrive = await operator.request<{ redriven: number }>('POST', '/dead-letters/redrive', {
      operator: true,
      body: { fingerprint: '0000000000000003', limit: 1000 },
    });
    const redriveSeconds = (Date.now() - started) / 1000;
    full.api.redriveLettersPerSecond = redrive.body.redriven / redriveSeconds;
    full.api.redriven = redrive.body.redriven;
    report.full = full;

    // A backlog drained with the tables full: the consumers stopped, the relay fills their queues,
    // then they start and drain (rate from the grants' own timestamps).
    process.stdout.write(`\nbacklog: ${options.backlog} events queued with the consumers stopped, then drained...\n`);
    await Promise.all([system.services.coupon.kill('SIGTERM'), system.services.redPacket.kill('SIGTERM')]);
    await fillOutbox(system.pools.order, options.backlog, 'drain-backlog', 10_000);
    await system.outboxDrained();
    const relayPerSecond = await relayPublishRate(system.pools.order, options.backlog, 'drain-backlog');
    const couponsBefore = await system.count(system.pools.coupon, 'SELECT COUNT(*) AS n FROM coupons');
    const restartedAt = new Date();
    await Promise.all([system.services.coupon.start(), system.services.redPacket.start()]);
    const deadline = Date.now() + 30 * 60_000;
    while ((await system.count(system.pools.coupon, 'SELECT COUNT(*) AS n FROM coupons')) < couponsBefore + options.backlog) {
      if (Date.now() > deadline) throw new Error('the backlog did not drain within 30 minutes');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const [[drained]] = (await system.pools.coupon.query<RowDataPacket[]>(
      'SELECT COUNT(*) AS n, TIMESTAMPDIFF(MICROSECOND, MIN(issued_at), MAX(issued_at)) / 1e6 AS s FROM coupons WHERE issued_at >= ?',
      [restartedAt],
    )) as [RowDataPacket[], unknown];
    const drainPerSecond = Number(drained.n) > 1 ? (Number(drained.n) - 1) / Number(drained.s) : Number.NaN;
    report.backlog = { events: options.backlog, relayPerSecond, couponDrainPerSecond: drainPerSecond };
    process.stdout.write(`  relay ${fmt(relayPerSecond)} msg/s, coupon drain ${fmt(drainPerSecond)} msg/s\n`);

    print(empty, full);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    mkdirSync(options.dir, { recursive: true });
    writeFileSync(join(options.dir, `tables-${stamp}.json`), JSON.stringify(report, null, 2));
    const curves: Curve[] = [
      { label: 'empty tables', color: '#2060c0', points: empty.curve },
      { label: `inbox ${options.inbox}/consumer, outbox ${options.outbox}, DLQ ${options.deadletters}`, color: '#c06020', points: full.curve },
    ];
    writeFileSync(
      join(options.dir, `tables-${stamp}.svg`),
      renderCurves('the project: throughput and p99 by concurrent clients, empty vs grown tables', curves),
    );
    process.stdout.write(`\nresults: ${join(options.dir, `tables-${stamp}.json`)}\nchart:   ${join(options.dir, `tables-${stamp}.svg`)}\n`);
  } finally {
    timeline.stop();
    transport.close();
    await system.destroy();
  }
}

function print(empty: StateFigures, full: StateFigures): void {
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(34) : c.padStart(16))).join('  ');
  process.stdout.write(`\n${line(['measure', 'empty tables', 'full tables', 'full / empty'])}\n`);
  const row = (label: string, a: number, b: number, digits = 0) => process.stdout.write(`${line([label, fmt(a, digits), fmt(b, digits), fmt(b / a, 2)])}\n`);
  row('end-to-end orders/s', empty.load.ordersPerSecond, full.load.ordersPerSecond);
  row('order service CPU ms/order', empty.load.cpuSecondsPer1000Orders.order, full.load.cpuSecondsPer1000Orders.order, 2);
  row('coupon service CPU ms/order', empty.load.cpuSecondsPer1000Orders.coupon, full.load.cpuSecondsPer1000Orders.coupon, 2);
  row('mariadb CPU ms/order', empty.load.cpuSecondsPer1000Orders.mariadb, full.load.cpuSecondsPer1000Orders.mariadb, 2);
  row('p99 pay→grants ms, half load', empty.load.latencyHalfLoad.p99, full.load.latencyHalfLoad.p99);
  for (const [i, point] of empty.curve.entries()) row(`${point.clients} clients orders/s (p99 ms)`, point.ordersPerSecond, full.curve[i].ordersPerSecond);
  for (const [i, point] of empty.curve.entries()) row(`${point.clients} clients p99 create+pay ms`, point.p99, full.curve[i].p99);
  for (const k of Object.keys(empty.api)) row(`API ${k}`, empty.api[k], full.api[k], 1);
  if (full.api.redriveLettersPerSecond)
    process.stdout.write(`re-drive of one group through the API: ${fmt(full.api.redriven)} letters at ${fmt(full.api.redriveLettersPerSecond)}/s\n`);
  process.stdout.write('\nstatements on the grown tables (ms, median of 3; EXPLAIN):\n');
  for (const [i, plan] of full.plans.entries())
    process.stdout.write(`  ${plan.name.padEnd(30)} empty ${fmt(empty.plans[i].ms, 2)} ms, full ${fmt(plan.ms, 2)} ms  ${plan.plan}\n`);
}

/** The id that many pending letters below the highest (0 when there are fewer): a keyset cursor to the last page. */
async function pendingIdBelowTop(pool: Pool, count: number): Promise<string> {
  const [rows] = await pool.query<RowDataPacket[]>("SELECT id FROM dead_letters WHERE status = 'PENDING' ORDER BY id DESC LIMIT 1 OFFSET ?", [count]);
  return rows.length > 0 ? String(rows[0].id) : '0';
}
