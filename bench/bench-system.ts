import { randomBytes } from 'node:crypto';
import { createConnection, createPool, Pool, RowDataPacket } from 'mysql2/promise';
import { ServiceProcess } from '../tools/process/service-process';
import { RunNamespace } from '../tools/harness/run-namespace';
import { mysqlUrl, testMysql } from '../tools/harness/test-servers';

const MYSQL = testMysql();

export interface BenchSystemOptions {
  /** One URL, or a cluster's comma-separated list. */
  amqpUrl: string;
  queueType?: 'classic' | 'quorum';
  prefetch: number;
  batch: number;
  logDir: string;
  /** More service variables (the tables bench: an operator token for the dead-letter API). */
  env?: Record<string, string>;
}

/**
 * The three services as processes on a run name space of the bench's own, and a pool on each of
 * their databases. The coupon service logs in with a database account of its own, so the outage
 * phase can lock that account and kill its connections: the database is gone for that service
 * alone, and no chaos proxy sits in the path being measured (the raw baseline has none either).
 */
export class BenchSystem {
  readonly services: { order: ServiceProcess; coupon: ServiceProcess; redPacket: ServiceProcess };
  readonly pools: { order: Pool; coupon: Pool; redPacket: Pool };

  private constructor(
    readonly ns: RunNamespace,
    private readonly couponUser: { name: string; password: string },
    options: BenchSystemOptions,
  ) {
    const dbs = ns.databases;
    const env = {
      ...ns.serviceEnv(),
      COUPON_DB_URL: mysqlUrl({ ...MYSQL, user: couponUser.name, password: couponUser.password }, dbs.coupon),
      COUPON_PREFETCH: String(options.prefetch),
      RED_PACKET_PREFETCH: String(options.prefetch),
      OUTBOX_BATCH_SIZE: String(options.batch),
      PAUSE_ON_DEPENDENCY_DOWN: 'true',
      AMQP_QUEUE_TYPE: options.queueType ?? 'classic',
      ...options.env,
    };
    this.services = {
      order: new ServiceProcess('order', 'order', env, options.logDir),
      coupon: new ServiceProcess('coupon', 'coupon', env, options.logDir),
      redPacket: new ServiceProcess('red-packet', 'red-packet', env, options.logDir),
    };
    this.pools = {
      order: createPool({ ...MYSQL, database: dbs.order, connectionLimit: 4, timezone: 'Z' }),
      coupon: createPool({ ...MYSQL, database: dbs.coupon, connectionLimit: 4, timezone: 'Z' }),
      redPacket: createPool({ ...MYSQL, database: dbs.redPacket, connectionLimit: 4, timezone: 'Z' }),
    };
  }

  /** Creates the coupon database and its account, then starts the three services. */
  static async start(options: BenchSystemOptions): Promise<BenchSystem> {
    const ns = new RunNamespace('b', MYSQL, options.amqpUrl);
    const couponUser = { name: `${ns.runId}_coupon`, password: randomBytes(12).toString('hex') };
    const setup = await createConnection(MYSQL);
    try {
      await setup.query(`CREATE DATABASE \`${ns.databases.coupon}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
      await setup.query(`CREATE USER ?@'%' IDENTIFIED BY ?`, [couponUser.name, couponUser.password]);
      await setup.query(`GRANT ALL PRIVILEGES ON \`${ns.databases.coupon}\`.* TO ?@'%'`, [couponUser.name]);
    } finally {
      await setup.end();
    }
    const system = new BenchSystem(ns, couponUser, options);
    await Promise.all(Object.values(system.services).map((s) => s.start()));
    return system;
  }

  /** The `n` of a `SELECT COUNT(*) AS n` query. */
  async count(pool: Pool, sql: string): Promise<number> {
    return Number(((await pool.query<RowDataPacket[]>(sql))[0] as RowDataPacket[])[0].n);
  }

  /** Coupons and red packets committed so far. */
  async grants(): Promise<number> {
    return (
      (await this.count(this.pools.coupon, 'SELECT COUNT(*) AS n FROM coupons')) +
      (await this.count(this.pools.redPacket, 'SELECT COUNT(*) AS n FROM red_packets'))
    );
  }

  /** Polls until `target` grants are committed; the time it saw them. */
  async waitForGrants(target: number, timeoutMs = 300_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.grants()) < target) {
      if (Date.now() > deadline) throw new Error(`grants did not reach ${target}`);
      await sleep(20);
    }
    return Date.now();
  }

  /** Polls until the order service's outbox has no unsent row. */
  async outboxDrained(): Promise<void> {
    while ((await this.count(this.pools.order, 'SELECT COUNT(*) AS n FROM outbox_messages WHERE sent_at IS NULL')) > 0) await sleep(50);
  }

  /** LOCK: the coupon service's account refused and its connections killed (the outage); UNLOCK: the heal. */
  async couponDatabase(state: 'LOCK' | 'UNLOCK'): Promise<void> {
    await this.pools.order.query(`ALTER USER ?@'%' ACCOUNT ${state}`, [this.couponUser.name]);
    if (state === 'LOCK') await this.pools.order.query(`KILL USER ?`, [this.couponUser.name]);
  }

  /** Stops the services and removes the run's databases, the coupon account, queues and exchanges. */
  async destroy(): Promise<void> {
    await Promise.all(Object.values(this.services).map((s) => s.kill('SIGTERM')));
    for (const pool of Object.values(this.pools)) await pool.end();
    await this.ns.dropDatabases();
    const admin = await createConnection(MYSQL);
    await admin.query(`DROP USER IF EXISTS ?@'%'`, [this.couponUser.name]);
    await admin.end();
    await this.ns.deleteBrokerNames(this.ns.declaredTopology());
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
