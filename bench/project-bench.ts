import { randomBytes, randomUUID } from 'node:crypto';
import { createConnection, createPool, Pool, RowDataPacket } from 'mysql2/promise';
import { paymentSucceededV1 } from '@app/contracts';
import { processCpuSeconds, ServiceProcess } from '../tools/process/service-process';
import { RunNamespace } from '../tools/harness/run-namespace';
import { mysqlUrl, testMysql } from '../tools/harness/test-servers';
import { execFileSync } from 'node:child_process';
import { BenchHttpClient } from './http-client';

const MYSQL = testMysql();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface BenchOptions {
  /** One URL, or a cluster's comma-separated list. */
  amqpUrl: string;
  queueType?: 'classic' | 'quorum';
  /** The broker processes whose CPU to report (a cluster's nodes); default: the oldest beam.smp. */
  brokerPids?: number[];
  orders: number;
  concurrency: number;
  prefetch: number;
  batch: number;
  logDir: string;
}

export interface Sample {
  t: number;
  grants: number;
  outage: boolean;
}

export interface Latency {
  t: number;
  ms: number;
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

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  count: number;
}

export function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : NaN);
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), count: sorted.length };
}

/** The project as users run it: three service processes, REST clients, the real servers. */
export async function runProjectBench(options: BenchOptions): Promise<ProjectFigures> {
  const ns = new RunNamespace('b', MYSQL, options.amqpUrl);
  const run = ns.runId;
  const dbs = ns.databases;
  // The outage (phase 4) locks the coupon service's own database account and kills its
  // connections: the database is gone for that service alone, and no chaos proxy sits in the
  // path being measured (the raw baseline has none either). Production runs without one.
  const couponUser = { name: `${run}_coupon`, password: randomBytes(12).toString('hex') };
  const setup = await createConnection(MYSQL);
  try {
    await setup.query(`CREATE DATABASE \`${dbs.coupon}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
    await setup.query(`CREATE USER ?@'%' IDENTIFIED BY ?`, [couponUser.name, couponUser.password]);
    await setup.query(`GRANT ALL PRIVILEGES ON \`${dbs.coupon}\`.* TO ?@'%'`, [couponUser.name]);
  } finally {
    await setup.end();
  }
  const env = {
    ...ns.serviceEnv(),
    COUPON_DB_URL: mysqlUrl({ ...MYSQL, user: couponUser.name, password: couponUser.password }, dbs.coupon),
    COUPON_PREFETCH: String(options.prefetch),
    RED_PACKET_PREFETCH: String(options.prefetch),
    OUTBOX_BATCH_SIZE: String(options.batch),
    PAUSE_ON_DEPENDENCY_DOWN: 'true',
    AMQP_QUEUE_TYPE: options.queueType ?? 'classic',
  };
  const services = {
    order: new ServiceProcess('order', 'order', env, options.logDir),
    coupon: new ServiceProcess('coupon', 'coupon', env, options.logDir),
    redPacket: new ServiceProcess('red-packet', 'red-packet', env, options.logDir),
  };
  await Promise.all(Object.values(services).map((s) => s.start()));
  const pools = {
    order: createPool({ ...MYSQL, database: dbs.order, connectionLimit: 4, timezone: 'Z' }),
    coupon: createPool({ ...MYSQL, database: dbs.coupon, connectionLimit: 4, timezone: 'Z' }),
    redPacket: createPool({ ...MYSQL, database: dbs.redPacket, connectionLimit: 4, timezone: 'Z' }),
  };
  const count = async (pool: Pool, sql: string) => Number(((await pool.query<RowDataPacket[]>(sql))[0] as RowDataPacket[])[0].n);
  const grants = async () => (await count(pools.coupon, 'SELECT COUNT(*) AS n FROM coupons')) + (await count(pools.redPacket, 'SELECT COUNT(*) AS n FROM red_packets'));

  // Where the rest of the two cores goes: the database and broker servers' own CPU.
  const servers: Record<string, number> = {};
  for (const [i, pid] of (options.brokerPids ?? []).entries()) servers[`rabbitmq-${i + 1}`] = pid;
  for (const [name, command] of [['mariadb', 'mariadbd'], ...(options.brokerPids ? [] : [['rabbitmq', 'beam.smp']])]) {
    try {
      servers[name] = Number(execFileSync('pgrep', ['-o', '-x', command], { encoding: 'utf8' }).trim());
    } catch {
      // not on this machine (remote servers): not reported
    }
  }
  const t0 = Date.now();
  const samples: Sample[] = [];
  const latencies: Latency[] = [];
  let outage = false;
  const sampler = setInterval(() => {
    grants().then((g) => samples.push({ t: (Date.now() - t0) / 1000, grants: g, outage }), () => undefined);
  }, 250);

  const client = new BenchHttpClient(services.order.url, options.concurrency);
  const http = (method: string, path: string, body?: unknown) => client.send<{ id: string }>(method, path, body);

  /** Pays `n` orders from `concurrency` clients (paced at `rate`/s if given); returns pay-response times. */
  const pay = async (n: number, rate?: number) => {
    const respondedAt = new Map<string, number>();
    let next = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        for (;;) {
          const i = next++;
          if (i >= n) return;
          if (rate) {
            const due = started + (i * 1000) / rate;
            if (due > Date.now()) await sleep(due - Date.now());
          }
          const order = await http('POST', '/orders', { userId: `bench-${i % 50}`, amount: '100.00' });
          await http('POST', `/orders/${order.id}/pay`);
          respondedAt.set(order.id, Date.now());
        }
      }),
    );
    return respondedAt;
  };

  const waitForGrants = async (target: number, timeoutMs = 300_000) => {
    const deadline = Date.now() + timeoutMs;
    while ((await grants()) < target) {
      if (Date.now() > deadline) throw new Error(`grants did not reach ${target}`);
      await sleep(20);
    }
    return Date.now();
  };

  /** Pay response → both grants committed (the later grant's issued_at), per order. */
  const latenciesOf = async (respondedAt: Map<string, number>) => {
    const ids = [...respondedAt.keys()];
    const issued = new Map<string, number>();
    for (const [pool, table] of [[pools.coupon, 'coupons'], [pools.redPacket, 'red_packets']] as const) {
      const [rows] = await pool.query<RowDataPacket[]>(`SELECT order_id, issued_at FROM ${table} WHERE order_id IN (?)`, [ids]);
      for (const row of rows) issued.set(row.order_id, Math.max(issued.get(row.order_id) ?? 0, new Date(row.issued_at).getTime()));
    }
    return ids.map((id) => {
      const ms = Math.max(0, issued.get(id)! - respondedAt.get(id)!);
      latencies.push({ t: (issued.get(id)! - t0) / 1000, ms });
      return ms;
    });
  };

  try {
    // Warm-up (JIT, pools, connections), not measured.
    let expected = 2 * (await pay(Math.min(50, options.orders))).size;
    await waitForGrants(expected);

    // 1. Full load: as fast as the clients can go.
    const cpuBefore = Object.fromEntries(Object.entries(services).map(([k, s]) => [k, s.cpuSeconds()]));
    const clientCpuBefore = process.cpuUsage();
    const serversBefore = Object.fromEntries(Object.entries(servers).map(([k, pid]) => [k, processCpuSeconds(pid)]));
    const fullStart = Date.now();
    const full = await pay(options.orders);
    expected += 2 * full.size;
    const fullEnd = await waitForGrants(expected);
    const cpuSecondsPer1000Orders = Object.fromEntries(
      Object.entries(services).map(([k, s]) => [k, Math.round(((s.cpuSeconds() - cpuBefore[k]) / full.size) * 1000 * 100) / 100]),
    );
    const clientCpu = process.cpuUsage(clientCpuBefore);
    // The bench process itself (REST clients and the grant-count sampler): not the system under test.
    cpuSecondsPer1000Orders.benchClient = Math.round(((clientCpu.user + clientCpu.system) / 1e6 / full.size) * 1000 * 100) / 100;
    // The servers are shared with anything else running on the machine: read these as an upper bound.
    for (const [k, pid] of Object.entries(servers)) {
      cpuSecondsPer1000Orders[k] = Math.round(((processCpuSeconds(pid) - serversBefore[k]) / full.size) * 1000 * 100) / 100;
    }
    const endToEndOrdersPerSecond = full.size / ((fullEnd - fullStart) / 1000);
    const latencyFullLoad = percentiles(await latenciesOf(full));

    // 2. Half load: paced at half the throughput just measured.
    const rate = Math.max(1, endToEndOrdersPerSecond / 2);
    const half = await pay(Math.max(20, Math.floor(options.orders / 2)), rate);
    expected += 2 * half.size;
    await waitForGrants(expected);
    const latencyHalfLoad = { ...percentiles(await latenciesOf(half)), rate: Math.round(rate) };

    // 3. Relay: a backlog written straight into the outbox while the order service is down, then
    // published with the consumers stopped, as the raw publish test publishes to a queue no one
    // reads: both measure publishing, not the machine's two cores shared with consumers.
    await Promise.all(Object.values(services).map((s) => s.kill('SIGTERM')));
    const backlog = options.orders * 4; // as many as the raw publish test sends
    const now = new Date();
    const rows = Array.from({ length: backlog }, () => {
      const event = paymentSucceededV1({ orderId: randomUUID(), userId: 'relay-bench', amount: '10.00', currency: 'CNY' }, now);
      return [event.eventId, 'payments.events', 'payment.succeeded', 'payment.succeeded', JSON.stringify(event), now, now];
    });
    for (let i = 0; i < rows.length; i += 500) {
      await pools.order.query('INSERT INTO outbox_messages (message_id, exchange, routing_key, message_type, payload, created_at, next_attempt_at) VALUES ?', [rows.slice(i, i + 500)]);
    }
    await services.order.start();
    expected += 2 * backlog;
    for (;;) {
      if ((await count(pools.order, 'SELECT COUNT(*) AS n FROM outbox_messages WHERE sent_at IS NULL')) === 0) break;
      await sleep(50);
    }
    // Rows are marked sent per batch, so the span between the first and the last mark covers every
    // batch but the first: count the rows after the first mark only. Too few marks to time: n/a.
    const marks = (await pools.order.query<RowDataPacket[]>(
      "SELECT sent_at AS at, COUNT(*) AS n FROM outbox_messages WHERE payload LIKE '%relay-bench%' GROUP BY sent_at ORDER BY sent_at",
    ))[0] as Array<{ at: Date; n: number }>;
    const span = marks.length > 1 ? (new Date(marks[marks.length - 1].at).getTime() - new Date(marks[0].at).getTime()) / 1000 : 0;
    const relayPublishPerSecond = marks.length >= 4 && span > 0 ? (backlog - Number(marks[0].n)) / span : Number.NaN;
    await Promise.all([services.coupon.start(), services.redPacket.start()]);
    await waitForGrants(expected);

    // 4. Outage: the coupon database down while orders keep coming; then the backlog drains.
    const couponDatabase = async (state: 'LOCK' | 'UNLOCK') => {
      await pools.order.query(`ALTER USER ?@'%' ACCOUNT ${state}`, [couponUser.name]);
      if (state === 'LOCK') await pools.order.query(`KILL USER ?`, [couponUser.name]);
    };
    const outageFrom = (Date.now() - t0) / 1000;
    outage = true;
    await couponDatabase('LOCK');
    const during = await pay(Math.max(20, options.orders * 2)); // a backlog long enough to time (the raw consumer drains 4N)
    for (;;) {
      if ((await count(pools.order, 'SELECT COUNT(*) AS n FROM outbox_messages WHERE sent_at IS NULL')) === 0) break;
      await sleep(50);
    }
    await sleep(500);
    await couponDatabase('UNLOCK');
    outage = false;
    const outageTo = (Date.now() - t0) / 1000;
    const healedAt = Date.now();
    expected += 2 * during.size;
    const couponTarget = expected / 2;
    for (;;) {
      if ((await count(pools.coupon, 'SELECT COUNT(*) AS n FROM coupons').catch(() => 0)) >= couponTarget) break;
      await sleep(20);
    }
    // From the coupons' own timestamps, first to last issued after the heal: neither the
    // consumer's probe interval nor this loop's polling is in the figure.
    const [[drained]] = (await pools.coupon.query<RowDataPacket[]>(
      'SELECT COUNT(*) AS n, TIMESTAMPDIFF(MICROSECOND, MIN(issued_at), MAX(issued_at)) / 1e6 AS s FROM coupons WHERE issued_at >= ?',
      [new Date(healedAt)],
    )) as any;
    const drainBacklog = Number(drained.n);
    const drainPerSecond = drainBacklog > 1 && Number(drained.s) > 0 ? (drainBacklog - 1) / Number(drained.s) : Number.NaN;
    await latenciesOf(during);
    await waitForGrants(expected);

    const peakMemoryMb = Object.fromEntries(Object.entries(services).map(([k, s]) => [k, s.peakMemoryMb()]));
    return {
      endToEndOrdersPerSecond,
      latencyFullLoad,
      latencyHalfLoad,
      relayPublishPerSecond,
      drainPerSecond,
      drainBacklog,
      cpuSecondsPer1000Orders,
      peakMemoryMb,
      timeline: { samples, latencies, outage: { from: outageFrom, to: outageTo } },
    };
  } finally {
    clearInterval(sampler);
    client.close();
    await Promise.all(Object.values(services).map((s) => s.kill('SIGTERM')));
    for (const pool of Object.values(pools)) await pool.end();
    await ns.dropDatabases();
    const admin = await createConnection(MYSQL);
    await admin.query(`DROP USER IF EXISTS ?@'%'`, [couponUser.name]);
    await admin.end();
    await ns.deleteBrokerNames(ns.declaredTopology());
  }
}
