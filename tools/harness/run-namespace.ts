import { connect } from 'amqplib';
import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { DEFAULT_RETRY_LADDER, Env, parseLadder } from '@reliable-payments/config';
import { CONSUMERS } from '@reliable-payments/contracts';
import { consumerExchangeNames, consumerQueue, consumerQueueNames } from '@reliable-payments/messaging';
import { MysqlServer, mysqlUrl, testAmqpUrl, testMysql, testQueueType } from './test-servers';

/**
 * One run's name space on the shared servers: its databases (`<run>_order`, ...) and its exchange
 * and queue prefix (`<run>.`), so a test, a suite scenario or a bench run never touches the demo's
 * data or another run's, and can remove all it made. Used by the e2e harness, the reliability and
 * cluster suites and the bench.
 */
export class RunNamespace {
  readonly runId: string;
  readonly prefix: string;
  readonly databases: { order: string; coupon: string; redPacket: string };

  constructor(
    tag = 't',
    readonly mysql: MysqlServer = testMysql(),
    readonly amqpUrl: string = testAmqpUrl(),
  ) {
    this.runId = `${tag}${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
    this.prefix = `${this.runId}.`;
    this.databases = { order: `${this.runId}_order`, coupon: `${this.runId}_coupon`, redPacket: `${this.runId}_red_packet` };
  }

  /** The variables that put the three services in this name space (a database may sit elsewhere, e.g. behind a fault proxy). */
  serviceEnv(at: { coupon?: { host: string; port: number } } = {}): Env {
    return {
      ...testQueueType(),
      RABBITMQ_URL: this.amqpUrl,
      AMQP_NAME_PREFIX: this.prefix,
      ORDER_DB_URL: mysqlUrl(this.mysql, this.databases.order),
      COUPON_DB_URL: mysqlUrl(this.mysql, this.databases.coupon, at.coupon),
      RED_PACKET_DB_URL: mysqlUrl(this.mysql, this.databases.redPacket),
    };
  }

  databaseUrl(database: string, at?: { host: string; port: number }): string {
    return mysqlUrl(this.mysql, database, at);
  }

  /** What the three services declare in this run with `ladderMs` (the default ladder unless given): for cleanup. */
  declaredTopology(ladderMs: number[] = parseLadder(DEFAULT_RETRY_LADDER)): { queues: string[]; exchanges: string[] } {
    const queues = CONSUMERS.flatMap((consumer) => consumerQueueNames(`${this.prefix}${consumerQueue(consumer)}`, ladderMs));
    const own = CONSUMERS.flatMap((consumer) => consumerExchangeNames(`${this.prefix}${consumerQueue(consumer)}`));
    return { queues, exchanges: [`${this.prefix}payments.events`, ...own] };
  }

  async dropDatabases(): Promise<void> {
    const admin = await createConnection({ ...this.mysql });
    try {
      for (const db of Object.values(this.databases)) await admin.query(`DROP DATABASE IF EXISTS \`${db}\``);
    } finally {
      await admin.end();
    }
  }

  /** Deletes what the run declared on the broker (the services report it: `MessagingService.declaredNames`). */
  async deleteBrokerNames(names: { queues: Iterable<string>; exchanges: Iterable<string> }): Promise<void> {
    const connection = await connectAny(this.amqpUrl);
    connection.on('error', () => undefined);
    try {
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      for (const queue of names.queues) await channel.deleteQueue(queue).catch(() => undefined);
      for (const exchange of names.exchanges) await channel.deleteExchange(exchange).catch(() => undefined);
    } finally {
      await connection.close().catch(() => undefined);
    }
  }
}

/** The first node of a comma-separated URL list that accepts a connection (a cluster with a node down). */
export async function connectAny(urls: string) {
  let last: unknown;
  for (const url of urls.split(',')) {
    try {
      return await connect(url.trim());
    } catch (error) {
      last = error;
    }
  }
  throw last;
}
