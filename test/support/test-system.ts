import { ConsoleLogger, INestApplication, LoggerService, LogLevel } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { createPool, Pool, RowDataPacket } from 'mysql2/promise';
import { Env, loadOrderServiceConfig } from '@reliable-payments/config';
import { COUPON_CONSUMER, RED_PACKET_CONSUMER } from '@reliable-payments/contracts';
import { consumerQueue, ConsumerStatus, MessagingService } from '@reliable-payments/messaging';
import type { SpanExporter } from '@reliable-payments/tracing';
import { startOrderService } from '../../apps/order-service/src/order-service.app';
import { loadCouponServiceConfig, startCouponService } from '../../apps/coupon-service/src/coupon-service.app';
import { loadRedPacketServiceConfig, startRedPacketService } from '../../apps/red-packet-service/src/red-packet-service.app';
import { RunNamespace } from '../../tools/harness/run-namespace';
import { ServiceClient } from '../../tools/harness/service-client';
import { testAmqpUrl, testMysql } from '../../tools/harness/test-servers';

export type ServiceName = 'order' | 'coupon' | 'red-packet';

export interface RunningService {
  name: ServiceName;
  app: INestApplication;
  url: string;
  stop(): Promise<void>;
}

const MYSQL = testMysql();
const AMQP_URL = testAmqpUrl();

/** The operator token every test system starts with (tests of the guard itself override it). */
export const TEST_OPERATOR_TOKEN = `test-operator-${randomBytes(12).toString('hex')}`;
/** Headers of an operator request. */
export const asOperator: Record<string, string> = { authorization: `Bearer ${TEST_OPERATOR_TOKEN}` };

/**
 * The three services, in-process, on a unique name space: databases `<run>_order` etc., and
 * exchanges and queues prefixed with `<run>.`. Runs beside the demo without touching its data.
 */
export class TestSystem {
  private readonly namespace = new RunNamespace('t', MYSQL, AMQP_URL);
  readonly runId = this.namespace.runId;
  readonly prefix = this.namespace.prefix;
  readonly databases: Record<ServiceName, string> = {
    order: this.namespace.databases.order,
    coupon: this.namespace.databases.coupon,
    'red-packet': this.namespace.databases.redPacket,
  };
  private readonly running = new Set<RunningService>();
  private readonly names = { queues: new Set<string>(), exchanges: new Set<string>() };
  private readonly pools = new Map<ServiceName, Pool>();

  constructor(private readonly baseEnv: Env = {}) {}

  env(extra: Env = {}): Env {
    return {
      ...this.namespace.serviceEnv(),
      ORDER_PORT: '0',
      COUPON_PORT: '0',
      RED_PACKET_PORT: '0',
      OUTBOX_POLL_INTERVAL: '250ms',
      RETRY_LADDER: '200ms,400ms,800ms',
      OPERATOR_TOKEN: TEST_OPERATOR_TOKEN,
      ...this.baseEnv,
      ...extra,
    };
  }

  async start(name: ServiceName, extra: Env = {}, logger: LoggerService = testLogger(), spanExporter?: SpanExporter): Promise<RunningService> {
    const env = this.env(extra);
    const app =
      name === 'order'
        ? await startOrderService(loadOrderServiceConfig(env), logger, spanExporter)
        : name === 'coupon'
          ? await startCouponService(loadCouponServiceConfig(env), logger, spanExporter)
          : await startRedPacketService(loadRedPacketServiceConfig(env), logger, spanExporter);
    const declared = app.get(MessagingService).declaredNames();
    declared.queues.forEach((q) => this.names.queues.add(q));
    declared.exchanges.forEach((e) => this.names.exchanges.add(e));
    const service: RunningService = {
      name,
      app,
      url: (await app.getUrl()).replace('[::1]', '127.0.0.1'),
      stop: async () => {
        if (!this.running.delete(service)) return;
        await app.close();
      },
    };
    this.running.add(service);
    return service;
  }

  /** A consumer service's main queue in this run (`<run>.coupon-service.payment-succeeded`). */
  queue(service: 'coupon' | 'red-packet'): string {
    return `${this.prefix}${consumerQueue(service === 'coupon' ? COUPON_CONSUMER : RED_PACKET_CONSUMER)}`;
  }

  /** The running instance of a service (the latest one started). */
  service(name: ServiceName): RunningService {
    const found = [...this.running].reverse().find((s) => s.name === name);
    if (!found) throw new Error(`${name} is not running`);
    return found;
  }

  async startAll(extra: Partial<Record<ServiceName, Env>> = {}) {
    const [order, coupon, redPacket] = await Promise.all([
      this.start('order', extra.order),
      this.start('coupon', extra.coupon),
      this.start('red-packet', extra['red-packet']),
    ]);
    return { order, coupon, redPacket };
  }

  /** Runs SQL in one of this run's databases. */
  async query<T extends RowDataPacket>(service: ServiceName, sql: string, params: unknown[] = []): Promise<T[]> {
    let pool = this.pools.get(service);
    if (!pool) {
      pool = createPool({ ...MYSQL, database: this.databases[service], connectionLimit: 4, dateStrings: false, timezone: 'Z' });
      this.pools.set(service, pool);
    }
    const [rows] = await pool.query<T[]>(sql, params);
    return rows;
  }

  async count(service: ServiceName, table: string, where = '1=1', params: unknown[] = []): Promise<number> {
    const rows = await this.query<RowDataPacket & { n: number }>(service, `SELECT COUNT(*) AS n FROM \`${table}\` WHERE ${where}`, params);
    return Number(rows[0].n);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.running].map((s) => s.stop()));
  }

  /** Stops everything and removes this run's databases, queues and exchanges. */
  async cleanup(): Promise<void> {
    await this.stopAll();
    for (const pool of this.pools.values()) await pool.end();
    this.pools.clear();
    if (process.env.TEST_KEEP_DATA === 'true') return;
    await this.namespace.dropDatabases();
    await this.namespace.deleteBrokerNames(this.names);
  }
}

function testLogger(): ConsoleLogger {
  const levels = (process.env.TEST_LOG_LEVELS ?? 'fatal').split(',').filter(Boolean) as LogLevel[];
  return new ConsoleLogger({ logLevels: levels, colors: false });
}

/** JSON over HTTP against a running service, any route and status (`ServiceClient.request`). */
export async function http(
  service: RunningService,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  return new ServiceClient(service.url).request(method, path, { body, headers });
}

/** Creates and pays one order; returns its id. */
export async function createAndPay(order: RunningService, amount = '100.00', userId = 'user-1'): Promise<string> {
  return (await new ServiceClient(order.url).createAndPay({ userId, amount })).id;
}

/** Counters of a consumer service's main (event) consumer, from its /health. */
export async function consumerStats(service: RunningService): Promise<ConsumerStatus> {
  return new ServiceClient(service.url).eventConsumer();
}
