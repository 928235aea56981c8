import { connect } from 'amqplib';
import { createConnection, createPool } from 'mysql2/promise';
import { freePort } from '../../tools/process/service-process';
import { testMysql } from '../../tools/harness/test-servers';
import { createRawSchemas } from '../raw-baseline';
import { BenchChild } from '../bench-child';
import { countRows, grantLatencies } from '../grant-latency';
import { LoadFigures, LoadOptions, measureHttpLoad } from '../http-load';

const MYSQL = testMysql();

/**
 * The raw job behind node:http (raw-http-server.ts) on databases and queues of its own: the same
 * tables as the raw script, the same warm-up and load as the project. Removes all it made.
 */
export async function runRawHttp(
  options: LoadOptions & { amqpUrl: string; prefetch: number; batch: number; logDir: string; queueType?: 'classic' | 'quorum' },
): Promise<LoadFigures> {
  const run = `rawh${Date.now().toString(36)}`;
  const admin = await createConnection(MYSQL);
  const dbs = await createRawSchemas(admin, run);
  const exchange = `${run}.events`;
  const queues = { a: `${run}.a`, b: `${run}.b` };
  const amqp = await connect(options.amqpUrl);
  amqp.on('error', () => undefined);
  const setup = await amqp.createChannel();
  await setup.assertExchange(exchange, 'topic', { durable: true });
  for (const queue of Object.values(queues)) {
    await setup.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': options.queueType ?? 'classic' } });
    await setup.bindQueue(queue, exchange, 'payment.succeeded');
  }
  const port = await freePort();
  const server = new BenchChild(
    'raw-http',
    'dist/bench/raw-http/raw-http-server.js',
    {
      RABBITMQ_URL: options.amqpUrl,
      RAW_DB_ORDER: dbs.order,
      RAW_DB_A: dbs.a,
      RAW_DB_B: dbs.b,
      RAW_EXCHANGE: exchange,
      RAW_QUEUE_A: queues.a,
      RAW_QUEUE_B: queues.b,
      RAW_PREFETCH: String(options.prefetch),
      RAW_BATCH: String(options.batch),
      RAW_HTTP_PORT: String(port),
    },
    options.logDir,
  );
  const pools = { a: createPool({ ...MYSQL, database: dbs.a, connectionLimit: 2 }), b: createPool({ ...MYSQL, database: dbs.b, connectionLimit: 2 }) };
  const grants: Array<[typeof pools.a, string]> = [
    [pools.a, 'grants'],
    [pools.b, 'grants'],
  ];
  try {
    await server.start();
    return await measureHttpLoad(
      { url: `http://127.0.0.1:${port}`, processes: { rawHttp: server }, grants: () => countRows(grants), latencies: (r) => grantLatencies(grants, r) },
      options,
    );
  } finally {
    await server.stop();
    for (const pool of Object.values(pools)) await pool.end();
    for (const db of Object.values(dbs)) await admin.query(`DROP DATABASE IF EXISTS \`${db}\``);
    await admin.end();
    for (const queue of Object.values(queues)) await setup.deleteQueue(queue).catch(() => undefined);
    await setup.deleteExchange(exchange).catch(() => undefined);
    await amqp.close().catch(() => undefined);
  }
}
