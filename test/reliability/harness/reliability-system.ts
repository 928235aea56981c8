import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RowDataPacket } from 'mysql2/promise';
import { parseLadder } from '@reliable-payments/config';
import { AMQP_URL, queueDepths } from './broker';
import { consumerCounters } from './consumer-counters';
import { drain } from './drain';
import { checkInvariants, ExpectedDeadLetters, InvariantReport } from './invariants';
import { MariaDbInstance } from './mariadb-instance';
import { LoadOptions, OrderLoad } from './order-load';
import { RunDatabase, RunDatabases } from './run-databases';
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
  /** Variables for one instance (index from 0), over the kind's own: e.g. a broker URL list per instance. */
  instanceEnv?: (kind: ServiceKind, index: number) => Record<string, string>;
  orderInstances?: number;
  /** Broker URL, or a comma-separated list (a cluster); the system broker by default. */
  amqpUrl?: string;
  /** Where logs and the scenario's JSON go; results/reliability by default. */
  resultsDir?: string;
}

export interface ScenarioResult extends InvariantReport {
  scenario: string;
  recoverySeconds: number;
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
  readonly amqpUrl: string;
  couponDb?: MariaDbInstance;
  order!: ServiceProcess;
  orders: ServiceProcess[] = [];
  coupons: ServiceProcess[] = [];
  redPackets: ServiceProcess[] = [];
  notes: Record<string, unknown> = {};
  private readonly dbs: RunDatabases;
  private readonly clients = new OrderLoad(() => this.orders);
  private healedAt?: number;
  private readonly resultsDir: string;

  constructor(private readonly options: SystemOptions) {
    this.amqpUrl = options.amqpUrl ?? AMQP_URL;
    this.namespace = new RunNamespace('r', MAIN_DB, this.amqpUrl);
    ({ runId: this.runId, prefix: this.prefix, databases: this.databases } = this.namespace);
    this.resultsDir = options.resultsDir ?? RESULTS_DIR;
    this.logDir = join(this.resultsDir, options.scenario);
    this.ladder = options.ladder ?? '500ms,1s,2s,4s,8s,16s';
    this.dbs = new RunDatabases(MAIN_DB, this.databases, () => this.couponDbHost());
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
    const instances = (kind: ServiceKind, count: number | undefined, name: (i: number) => string, own: Record<string, string> | undefined) =>
      Array.from({ length: count ?? 1 }, (_, i) => new ServiceProcess(kind, name(i), { ...env, ...own, ...this.options.instanceEnv?.(kind, i) }, this.logDir));
    this.orders = instances('order', this.options.orderInstances, (i) => (i === 0 ? 'order' : `order-${i + 1}`), this.options.orderEnv);
    this.order = this.orders[0];
    this.coupons = instances('coupon', this.options.couponInstances, (i) => `coupon-${i + 1}`, this.options.couponEnv);
    this.redPackets = instances('red-packet', this.options.redPacketInstances, (i) => `red-packet-${i + 1}`, this.options.redPacketEnv);
    // Databases are created by the first instance of each service; start those first.
    await Promise.all([this.order.start(), this.coupons[0].start(), this.redPackets[0].start()]);
    await Promise.all([...this.orders.slice(1), ...this.coupons.slice(1), ...this.redPackets.slice(1)].map((s) => s.start()));
  }

  /**
   * Pays `count` orders from `concurrency` clients at about `rate` per second; `fault` runs once
   * `faultAfter` of them were attempted, while the load goes on.
   */
  load(count: number, options: LoadOptions = {}): Promise<void> {
    return this.clients.run(count, options);
  }

  query<T extends RowDataPacket>(db: RunDatabase, sql: string, params: unknown[] = []): Promise<T[]> {
    return this.dbs.query<T>(db, sql, params);
  }

  /** Runs `work` while no relay batch is in flight and none can start (see RunDatabases.withRelayHeld). */
  withRelayHeld(work: () => Promise<void>): Promise<void> {
    return this.dbs.withRelayHeld(work);
  }

  /** Marks the end of the fault: recovery time is measured from here to the end of the drain. */
  healed(): void {
    this.healedAt = Date.now();
  }

  /** Drops the pool after the coupon database was killed: its connections are dead. */
  resetPool(db: RunDatabase): Promise<void> {
    return this.dbs.resetPool(db);
  }

  queues(): string[] {
    return this.namespace.declaredTopology(parseLadder(this.ladder)).queues;
  }

  /** Drains, checks the invariants, and writes the scenario's JSON to the results directory. */
  async check(expected: ExpectedDeadLetters = {}): Promise<ScenarioResult> {
    const depths = () => queueDepths(this.queues(), this.amqpUrl);
    const drained = await drain(this.dbs, depths);
    const recoverySeconds = this.healedAt ? (Date.now() - this.healedAt) / 1000 : drained;
    const report = await checkInvariants(this.dbs, this.clients.told, depths, this.services, expected);
    const { told, payErrors } = this.clients;
    const result: ScenarioResult = {
      scenario: this.options.scenario,
      orders: report.orders,
      lost: report.lost,
      duplicated: report.duplicated,
      deadLettered: report.deadLettered,
      recoverySeconds: Math.round(recoverySeconds * 10) / 10,
      violations: report.violations,
      ok: report.violations.length === 0,
      notes: {
        ...this.notes,
        payErrors: payErrors.slice(0, 5),
        ordersAttempted: told.size,
        consumers: await consumerCounters([...this.coupons, ...this.redPackets]),
      },
    };
    mkdirSync(this.resultsDir, { recursive: true });
    writeFileSync(join(this.resultsDir, `${this.options.scenario}.json`), JSON.stringify(result, null, 2));
    return result;
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.services.filter(Boolean).map((s) => s.kill('SIGTERM')));
    await this.dbs.end();
    await this.namespace.dropDatabases();
    await this.couponDb?.destroy();
    await this.namespace.deleteBrokerNames({ queues: this.queues(), exchanges: [`${this.prefix}payments.events`] }).catch(() => undefined);
  }
}

export type { ServiceKind };
