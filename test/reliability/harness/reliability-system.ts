import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createConnection, createPool, Pool, RowDataPacket } from 'mysql2/promise';
import { CONSUMERS } from '@app/contracts';
import { consumerQueue, consumerQueueNames } from '@app/messaging';
import { parseLadder } from '@app/config';
import { AMQP_URL, queueDepths } from './broker';
import { MariaDbInstance } from './mariadb-instance';
import { ServiceKind, ServiceProcess } from '../../../tools/process/service-process';
import { RunNamespace } from '../../../tools/harness/run-namespace';
import { testMysql } from '../../../tools/harness/test-servers';

const ROOT = join(__dirname, '..', '..', '..');
export const RESULTS_DIR = join(ROOT, 'results', 'reliability');
const MAIN_DB = testMysql();

export interface SystemOptions {
  scenario: string;
  couponInstances?: number;
  redPacketInstances?: number;
  /** Give the coupon service a MariaDB of its own, which the scenario may kill or stop. */
  dedicatedCouponDb?: boolean;
  couponDbArgs?: string[];
  ladder?: string;
  env?: Record<string, string>;
  orderEnv?: Record<string, string>;
  couponEnv?: Record<string, string>;
  redPacketEnv?: Record<string, string>;
  orderInstances?: number;
  /** Broker URL, or a comma-separated list (a cluster); the system broker by default. */
  amqpUrl?: string;
  /** Where logs and the scenario's JSON go; results/reliability by default. */
  resultsDir?: string;
}

export interface ScenarioResult {
  scenario: string;
  orders: number;
  lost: number;
  duplicated: number;
  deadLettered: { coupon: number; redPacket: number };
  recoverySeconds: number;
  violations: string[];
  ok: boolean;
  notes: Record<string, unknown>;
}

/**
 * Real processes, real servers, a unique name space: starts the services, drives load while a
 * scenario injects its fault, waits for everything to drain, then checks the invariants.
 */
export class ReliabilitySystem {
  private readonly namespace: RunNamespace;
  readonly runId: string;
  readonly prefix: string;
  readonly databases: RunNamespace['databases'];
  readonly logDir: string;
  readonly ladder: string;
  couponDb?: MariaDbInstance;
  order!: ServiceProcess;
  orders: ServiceProcess[] = [];
  coupons: ServiceProcess[] = [];
  redPackets: ServiceProcess[] = [];
  /** What each client was told: only 'paid' obliges the system. */
  readonly told = new Map<string, 'paid' | 'failed'>();
  readonly payErrors: string[] = [];
  private pools = new Map<string, Pool>();
  notes: Record<string, unknown> = {};
  private healedAt?: number;
  private nextOrder = 0;
  readonly amqpUrl: string;
  private readonly resultsDir: string;

  constructor(private readonly options: SystemOptions) {
    this.amqpUrl = options.amqpUrl ?? AMQP_URL;
    this.namespace = new RunNamespace('r', MAIN_DB, this.amqpUrl);
    ({ runId: this.runId, prefix: this.prefix, databases: this.databases } = this.namespace);
    this.resultsDir = options.resultsDir ?? RESULTS_DIR;
    this.logDir = join(this.resultsDir, options.scenario);
    this.ladder = options.ladder ?? '500ms,1s,2s,4s,8s,16s';
  }

  get services(): ServiceProcess[] {
    return [...this.orders, ...this.coupons, ...this.redPackets];
  }

  private couponDbHost() {
    return this.couponDb ? { host: '127.0.0.1', port: this.couponDb.port } : { host: MAIN_DB.host, port: MAIN_DB.port };
  }

  async start(): Promise<void> {
    if (this.options.dedicatedCouponDb) {
      this.couponDb = new MariaDbInstance(this.options.couponDbArgs);
      await this.couponDb.start();
    }
    const env = {
      ...this.namespace.serviceEnv({ coupon: this.couponDbHost() }),
      RETRY_LADDER: this.ladder,
      OUTBOX_POLL_INTERVAL: '250ms',
      OUTBOX_BACKOFF_MAX: '2s',
      HANDLER_TIMEOUT: '3s',
      ...this.options.env,
    };
    this.orders = Array.from({ length: this.options.orderInstances ?? 1 }, (_, i) => new ServiceProcess('order', i === 0 ? 'order' : `order-${i + 1}`, { ...env, ...this.options.orderEnv }, this.logDir));
    this.order = this.orders[0];
    this.coupons = Array.from({ length: this.options.couponInstances ?? 1 }, (_, i) => new ServiceProcess('coupon', `coupon-${i + 1}`, { ...env, ...this.options.couponEnv }, this.logDir));
    this.redPackets = Array.from({ length: this.options.redPacketInstances ?? 1 }, (_, i) => new ServiceProcess('red-packet', `red-packet-${i + 1}`, { ...env, ...this.options.redPacketEnv }, this.logDir));
    // Databases are created by the first instance of each service; start those first.
    await Promise.all([this.order.start(), this.coupons[0].start(), this.redPackets[0].start()]);
    await Promise.all([...this.orders.slice(1), ...this.coupons.slice(1), ...this.redPackets.slice(1)].map((s) => s.start()));
  }

  /**
   * Pays `count` orders from `concurrency` clients at about `rate` per second; `fault` runs once
   * `faultAfter` of them were attempted, while the load goes on.
   */
  async load(count: number, options: { concurrency?: number; rate?: number; faultAfter?: number; fault?: () => Promise<void> } = {}) {
    const concurrency = options.concurrency ?? 8;
    const interval = 1000 / (options.rate ?? 60);
    let next = 0;
    let faultDone: Promise<void> | undefined;
    const faultAt = options.faultAfter ?? Math.floor(count * 0.3);
    const started = Date.now();
    const worker = async () => {
      for (;;) {
        const i = next++;
        if (i >= count) return;
        if (i === faultAt && options.fault) faultDone = options.fault();
        const due = started + i * interval;
        if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
        await this.payOne(i);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    await faultDone;
  }

  private async payOne(i: number): Promise<void> {
    let id: string | undefined;
    try {
      const created = await this.call('POST', '/orders', { userId: `rel-${i % 20}`, amount: `${(5 + (i % 200)).toFixed(2)}` });
      if (created.status !== 201) throw new Error(`create ${created.status}`);
      id = created.body.id as string;
      const paid = await this.call('POST', `/orders/${id}/pay`);
      if (paid.status !== 200 || paid.body.status !== 'PAID') throw new Error(`pay ${paid.status}`);
      this.told.set(id, 'paid');
    } catch (error) {
      if (id) this.told.set(id, 'failed');
      if (this.payErrors.length < 20) this.payErrors.push((error as Error).message);
    }
  }

  private async call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    // Requests go round the order instances that are running (one may have been killed).
    const live = this.orders.filter((o) => o.pid);
    const target = live.length > 0 ? live[this.nextOrder++ % live.length] : this.order;
    const response = await fetch(`${target.url}${path}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  async query<T extends RowDataPacket>(db: 'order' | 'coupon' | 'redPacket', sql: string, params: unknown[] = []): Promise<T[]> {
    let pool = this.pools.get(db);
    if (!pool) {
      const server = db === 'coupon' ? this.couponDbHost() : MAIN_DB;
      pool = createPool({ ...MAIN_DB, ...server, database: this.databases[db], connectionLimit: 2, connectTimeout: 3_000 });
      this.pools.set(db, pool);
    }
    const [rows] = await pool.query<T[]>(sql, params);
    return rows;
  }

  /**
   * Runs `work` while no relay batch is in flight and none can start. A table lock on the outbox
   * waits for the relays' claim transactions (they hold their rows across the publishes) and
   * holds back new claims (and pay transactions' outbox inserts) until `work` is done.
   */
  async withRelayHeld(work: () => Promise<void>): Promise<void> {
    const connection = await createConnection({ ...MAIN_DB, database: this.databases.order });
    try {
      await connection.query('LOCK TABLES outbox_messages WRITE');
      await work();
    } finally {
      await connection.query('UNLOCK TABLES').catch(() => undefined);
      await connection.end();
    }
  }

  /** Marks the end of the fault: recovery time is measured from here to the end of the drain. */
  healed(): void {
    this.healedAt = Date.now();
  }

  /** Drops the pool after the coupon database was killed: its connections are dead. */
  async resetPool(db: 'order' | 'coupon' | 'redPacket'): Promise<void> {
    await this.pools.get(db)?.end().catch(() => undefined);
    this.pools.delete(db);
  }

  queues(): string[] {
    return CONSUMERS.flatMap((consumer) => consumerQueueNames(`${this.prefix}${consumerQueue(consumer)}`, parseLadder(this.ladder)));
  }

  /** Waits until nothing is in flight: outbox sent, queues empty, every paid order granted. */
  async drain(timeoutMs = 120_000): Promise<number> {
    const started = Date.now();
    for (;;) {
      const settled = await this.isSettled().catch(() => false);
      if (settled) return (Date.now() - started) / 1000;
      if (Date.now() - started > timeoutMs) return (Date.now() - started) / 1000;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  private async isSettled(): Promise<boolean> {
    const [pending] = await this.query<RowDataPacket & { n: number }>('order', 'SELECT COUNT(*) AS n FROM outbox_messages WHERE sent_at IS NULL');
    if (Number(pending.n) > 0) return false;
    const depths = await queueDepths(this.queues(), this.amqpUrl);
    if (Object.values(depths).some((n) => n > 0)) return false;
    const [paid] = await this.query<RowDataPacket & { n: number }>('order', "SELECT COUNT(*) AS n FROM orders WHERE status = 'PAID'");
    const [coupons] = await this.query<RowDataPacket & { n: number }>('coupon', 'SELECT COUNT(DISTINCT order_id) AS n FROM coupons');
    const [packets] = await this.query<RowDataPacket & { n: number }>('redPacket', 'SELECT COUNT(DISTINCT order_id) AS n FROM red_packets');
    return Number(coupons.n) >= Number(paid.n) && Number(packets.n) >= Number(paid.n);
  }

  /** The invariants, after the drain. */
  async check(expected: { couponDeadLetters?: number; redPacketDeadLetters?: number } = {}): Promise<ScenarioResult> {
    const drained = await this.drain();
    const recoverySeconds = this.healedAt ? (Date.now() - this.healedAt) / 1000 : drained;
    const violations: string[] = [];
    const paidRows = await this.query<RowDataPacket & { id: string }>('order', "SELECT id FROM orders WHERE status = 'PAID'");
    const paid = new Set(paidRows.map((r) => r.id));
    const toldPaid = [...this.told].filter(([, t]) => t === 'paid').map(([id]) => id);
    const notPaid = toldPaid.filter((id) => !paid.has(id));
    if (notPaid.length) violations.push(`${notPaid.length} orders told paid are not paid`);

    let lost = 0;
    let duplicated = 0;
    for (const [db, table] of [['coupon', 'coupons'], ['redPacket', 'red_packets']] as const) {
      const rows = await this.query<RowDataPacket & { order_id: string; n: number }>(db, `SELECT order_id, COUNT(*) AS n FROM ${table} GROUP BY order_id`);
      const granted = new Map(rows.map((r) => [r.order_id, Number(r.n)]));
      const missing = [...paid].filter((id) => !granted.has(id)).length;
      const twice = rows.filter((r) => Number(r.n) > 1).length;
      const forUnpaid = rows.filter((r) => !paid.has(r.order_id)).length;
      lost += missing;
      duplicated += twice;
      if (missing) violations.push(`${missing} paid orders without a ${table} row`);
      if (twice) violations.push(`${twice} orders with more than one ${table} row`);
      if (forUnpaid) violations.push(`${forUnpaid} ${table} rows for orders that are not paid`);
    }
    // Half-committed work would show as an inbox row without its grant (or the reverse).
    for (const [db, table] of [['coupon', 'coupons'], ['redPacket', 'red_packets']] as const) {
      const [half] = await this.query<RowDataPacket & { inboxOnly: number; grantOnly: number }>(
        db,
        `SELECT (SELECT COUNT(*) FROM inbox_messages i LEFT JOIN ${table} g ON g.event_id = i.message_id WHERE g.id IS NULL) AS inboxOnly,
                (SELECT COUNT(*) FROM ${table} g LEFT JOIN inbox_messages i ON i.message_id = g.event_id WHERE i.message_id IS NULL) AS grantOnly`,
      );
      if (Number(half.inboxOnly) || Number(half.grantOnly)) violations.push(`${table}: ${half.inboxOnly} inbox rows without a grant, ${half.grantOnly} grants without an inbox row`);
    }
    const [pending] = await this.query<RowDataPacket & { n: number }>('order', 'SELECT COUNT(*) AS n FROM outbox_messages WHERE sent_at IS NULL');
    if (Number(pending.n) > 0) violations.push(`${pending.n} outbox rows unsent`);
    const depths = await queueDepths(this.queues(), this.amqpUrl);
    for (const [queue, n] of Object.entries(depths)) if (n > 0) violations.push(`${n} messages left in ${queue}`);

    const deadLettered = { coupon: 0, redPacket: 0 };
    for (const [db, key, want] of [
      ['coupon', 'coupon', expected.couponDeadLetters ?? 0],
      ['redPacket', 'redPacket', expected.redPacketDeadLetters ?? 0],
    ] as const) {
      const rows = await this.query<RowDataPacket & { error_message: string }>(db, 'SELECT error_message FROM dead_letters');
      deadLettered[key] = rows.length;
      if (rows.length !== want) violations.push(`${key}: ${rows.length} dead letters, expected ${want}`);
      if (rows.some((r) => !r.error_message)) violations.push(`${key}: a dead letter without its error`);
    }
    for (const service of this.services) violations.push(...service.unexpectedExits);

    const result: ScenarioResult = {
      scenario: this.options.scenario,
      orders: toldPaid.length,
      lost,
      duplicated,
      deadLettered,
      recoverySeconds: Math.round(recoverySeconds * 10) / 10,
      violations,
      ok: violations.length === 0,
      notes: { ...this.notes, payErrors: this.payErrors.slice(0, 5), ordersAttempted: this.told.size, consumers: await this.consumerStats() },
    };
    mkdirSync(this.resultsDir, { recursive: true });
    writeFileSync(join(this.resultsDir, `${this.options.scenario}.json`), JSON.stringify(result, null, 2));
    return result;
  }

  /** Each consumer process's counters (retries per level, pauses, duplicates), for the report. */
  async consumerStats(): Promise<Record<string, unknown>> {
    const stats: Record<string, unknown> = {};
    for (const service of [...this.coupons, ...this.redPackets]) {
      if (!service.pid) continue;
      const health = (await fetch(`${service.url}/health`).then((r) => r.json(), () => undefined)) as any;
      const main = health?.checks?.consumers?.find((c: { role: string }) => c.role === 'events');
      if (main) stats[service.name] = { processed: main.processed, duplicates: main.duplicates, retriedByLevel: main.retriedByLevel, deadLettered: main.deadLettered, pauses: main.pauses };
    }
    return stats;
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.services.filter(Boolean).map((s) => s.kill('SIGTERM')));
    for (const pool of this.pools.values()) await pool.end().catch(() => undefined);
    this.pools.clear();
    await this.namespace.dropDatabases();
    await this.couponDb?.destroy();
    await this.namespace.deleteBrokerNames({ queues: this.queues(), exchanges: [`${this.prefix}payments.events`] }).catch(() => undefined);
  }
}

export type { ServiceKind };
