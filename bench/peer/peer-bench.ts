import { connect } from 'amqplib';
import { createConnection, createPool } from 'mysql2/promise';
import { freePort } from '../../tools/process/service-process';
import { mysqlUrl, testMysql } from '../../tools/harness/test-servers';
import { BenchChild } from '../bench-child';
import { countRows, grantLatencies } from '../grant-latency';
import { LoadFigures, LoadOptions, measureHttpLoad } from '../http-load';
import { PEER_GRANT_DDL, PEER_ORDER_DDL } from './peer.entities';

const MYSQL = testMysql();

/**
 * The NestJS-docs peer (peer-main.ts: an order service and two `@EventPattern` consumers) on
 * databases and queues of its own, measured exactly as the project is. Removes all it made.
 */
export async function runPeer(options: LoadOptions & { amqpUrl: string; prefetch: number; logDir: string }): Promise<LoadFigures> {
  const run = `peer${Date.now().toString(36)}`;
  const dbs = { order: `${run}_order`, coupon: `${run}_coupon`, redPacket: `${run}_red_packet` };
  const admin = await createConnection(MYSQL);
  for (const db of Object.values(dbs)) await admin.query(`CREATE DATABASE \`${db}\``);
  await admin.query(PEER_ORDER_DDL.replace('CREATE TABLE ', `CREATE TABLE \`${dbs.order}\`.`));
  for (const db of [dbs.coupon, dbs.redPacket]) await admin.query(PEER_GRANT_DDL.replace('CREATE TABLE ', `CREATE TABLE \`${db}\`.`));
  const queues = { coupon: `${run}.coupon`, redPacket: `${run}.red-packet` };
  const port = await freePort();
  const common = {
    RABBITMQ_URL: options.amqpUrl,
    PEER_COUPON_QUEUE: queues.coupon,
    PEER_RED_PACKET_QUEUE: queues.redPacket,
    PEER_PREFETCH: String(options.prefetch),
  };
  const entry = 'dist/bench/peer/peer-main.js';
  const processes = {
    peerOrder: new BenchChild(
      'peer-order',
      entry,
      { ...common, PEER_ROLE: 'order', PEER_PORT: String(port), PEER_DB_URL: mysqlUrl(MYSQL, dbs.order) },
      options.logDir,
    ),
    peerCoupon: new BenchChild('peer-coupon', entry, { ...common, PEER_ROLE: 'coupon', PEER_DB_URL: mysqlUrl(MYSQL, dbs.coupon) }, options.logDir),
    peerRedPacket: new BenchChild(
      'peer-red-packet',
      entry,
      { ...common, PEER_ROLE: 'red-packet', PEER_DB_URL: mysqlUrl(MYSQL, dbs.redPacket) },
      options.logDir,
    ),
  };
  const pools = {
    coupon: createPool({ ...MYSQL, database: dbs.coupon, connectionLimit: 2 }),
    redPacket: createPool({ ...MYSQL, database: dbs.redPacket, connectionLimit: 2 }),
  };
  const grants: Array<[typeof pools.coupon, string]> = [
    [pools.coupon, 'peer_grants'],
    [pools.redPacket, 'peer_grants'],
  ];
  try {
    // Consumers first: they declare their queues, so the first emits are not dropped.
    await Promise.all([processes.peerCoupon.start(), processes.peerRedPacket.start()]);
    await processes.peerOrder.start();
    return await measureHttpLoad(
      { url: `http://127.0.0.1:${port}`, processes, grants: () => countRows(grants), latencies: (r) => grantLatencies(grants, r) },
      options,
    );
  } finally {
    await Promise.all(Object.values(processes).map((p) => p.stop()));
    for (const pool of Object.values(pools)) await pool.end();
    for (const db of Object.values(dbs)) await admin.query(`DROP DATABASE IF EXISTS \`${db}\``);
    await admin.end();
    const amqp = await connect(options.amqpUrl);
    amqp.on('error', () => undefined);
    const channel = await amqp.createChannel();
    for (const queue of Object.values(queues)) await channel.deleteQueue(queue).catch(() => undefined);
    await amqp.close().catch(() => undefined);
  }
}
