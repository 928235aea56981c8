import { connect, ConfirmChannel } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { Connection, createConnection, createPool, Pool } from 'mysql2/promise';
import { paymentSucceededV1 } from '@reliable-payments/contracts';
import { pacedLoad } from '../tools/harness/paced-load';
import { testMysql } from '../tools/harness/test-servers';

/**
 * The same job with nothing but amqplib and mysql2 (no Nest, TypeORM or HTTP): order + outbox in
 * one transaction, a relay publishing with confirms, two consumers inserting one grant each under
 * a unique key and acking after commit. The project's figures are reported as ratios to these.
 */
export interface RawFigures {
  endToEndOrdersPerSecond: number;
  /** This process's CPU over the timed end-to-end pass (the whole job and its load loop), per 1000 orders. */
  cpuSecondsPer1000Orders: number;
  /** Orders/s of each uncounted warm-up pass. */
  warmupOrdersPerSecond: number[];
  confirmedPublishPerSecond: number;
  consumerPerSecond: number;
}

const MYSQL = testMysql();

export async function runRawBaseline(options: {
  amqpUrl: string;
  orders: number;
  concurrency: number;
  prefetch: number;
  batch: number;
  window: number;
  /** Orders (and 4x that many messages) of each uncounted warm-up pass. */
  warmup: number;
  warmupPasses: number;
  /** Messages of the publish and consume tests; default 4 × orders. */
  messages?: number;
  /** `quorum` for the cluster figures: the same queues the project declares there. */
  queueType?: 'classic' | 'quorum';
}): Promise<RawFigures> {
  const queueArgs = { 'x-queue-type': options.queueType ?? 'classic' };
  const run = `raw${Date.now().toString(36)}`;
  const admin = await createConnection(MYSQL);
  const dbs = await createRawSchemas(admin, run);
  const pools = {
    order: createPool({ ...MYSQL, database: dbs.order, connectionLimit: 16 }),
    a: createPool({ ...MYSQL, database: dbs.a, connectionLimit: 16 }),
    b: createPool({ ...MYSQL, database: dbs.b, connectionLimit: 16 }),
  };
  const connection = await connect(options.amqpUrl);
  connection.on('error', () => undefined);
  const exchange = `${run}.events`;
  const setup = await connection.createChannel();
  await setup.assertExchange(exchange, 'topic', { durable: true });
  for (const q of ['a', 'b']) {
    await setup.assertQueue(`${run}.${q}`, { durable: true, arguments: queueArgs });
    await setup.bindQueue(`${run}.${q}`, exchange, 'payment.succeeded');
  }
  // The publish test sends what the relay sends, where the relay sends it: a payment event to a
  // topic exchange that copies it into two durable queues (two writes per message for the broker).
  const publishExchange = `${run}.publish-test`;
  await setup.assertExchange(publishExchange, 'topic', { durable: true });
  for (const q of ['publish-a', 'publish-b']) {
    await setup.assertQueue(`${run}.${q}`, { durable: true, arguments: queueArgs });
    await setup.bindQueue(`${run}.${q}`, publishExchange, 'payment.succeeded');
  }
  const publisher = await connection.createConfirmChannel();
  publisher.on('error', () => undefined);

  try {
    const warmups = Array.from({ length: options.warmupPasses }, () => options.warmup);
    const endToEnd = await endToEndRun(options, [...warmups, options.orders], pools, publisher, connection, exchange, run);
    // Publishing and consuming warm up the same way: uncounted messages first, then the timed ones.
    const published = options.messages ?? options.orders * 4;
    const warmupMessages = options.warmup * options.warmupPasses * 4;
    if (warmupMessages) await confirmedPublishRate(publisher, publishExchange, warmupMessages, options.window);
    const confirmedPublishPerSecond = await confirmedPublishRate(publisher, publishExchange, published, options.window);
    await pools.a.query('DELETE FROM grants');
    if (warmupMessages) await consumerRate(connection, pools.a, `${run}.publish-a`, warmupMessages, options.prefetch);
    const consumerPerSecond = await consumerRate(connection, pools.a, `${run}.publish-a`, published, options.prefetch);
    return {
      endToEndOrdersPerSecond: endToEnd.rates[endToEnd.rates.length - 1],
      cpuSecondsPer1000Orders: endToEnd.cpuSecondsPer1000Orders,
      warmupOrdersPerSecond: endToEnd.rates.slice(0, -1),
      confirmedPublishPerSecond,
      consumerPerSecond,
    };
  } finally {
    await connection.close().catch(() => undefined);
    for (const pool of Object.values(pools)) await pool.end();
    for (const db of Object.values(dbs)) await admin.query(`DROP DATABASE \`${db}\``);
    const cleanup = await connect(options.amqpUrl);
    const ch = await cleanup.createChannel();
    for (const q of ['a', 'b', 'publish-a', 'publish-b']) await ch.deleteQueue(`${run}.${q}`);
    await ch.deleteExchange(exchange);
    await ch.deleteExchange(publishExchange);
    await cleanup.close();
    await admin.end();
  }
}

/** An outbox row as the raw relay claims it. */
interface OutboxRow {
  id: number;
  message_id: string;
  payload: string;
}

function publishConfirmed(channel: ConfirmChannel, exchange: string, key: string, body: Buffer, messageId: string): Promise<void> {
  return new Promise((resolve, reject) =>
    channel.publish(exchange, key, body, { messageId, persistent: true, contentType: 'application/json', mandatory: true }, (error) =>
      error ? reject(error) : resolve(),
    ),
  );
}

/**
 * The whole job, pass after pass on the same consumers and relay: `passes` orders each (warm-up
 * passes first, the timed one last); the rate of each pass, from its first order to its last grant,
 * and the CPU this process spent on the last one (the loop that writes orders included: it is the
 * raw script's "client").
 */
async function endToEndRun(
  options: { concurrency: number; prefetch: number; batch: number },
  passes: number[],
  pools: Record<'order' | 'a' | 'b', Pool>,
  publisher: ConfirmChannel,
  connection: import('amqplib').ChannelModel,
  exchange: string,
  run: string,
): Promise<{ rates: number[]; cpuSecondsPer1000Orders: number }> {
  let granted = 0;
  let target = Number.POSITIVE_INFINITY;
  let done: () => void = () => undefined;
  let fail: (error: unknown) => void = () => undefined;
  let failure: unknown;
  for (const q of ['a', 'b'] as const) {
    const channel = await connection.createChannel();
    await channel.prefetch(options.prefetch);
    await channel.consume(`${run}.${q}`, (message) => {
      if (!message) return;
      const event = JSON.parse(message.content.toString());
      void pools[q]
        .query('INSERT INTO grants (id, order_id, event_id, amount, issued_at) VALUES (?, ?, ?, ?, NOW(3))', [
          randomUUID(),
          event.orderId,
          event.eventId,
          '1.00',
        ])
        .catch((error: { errno?: number }) => {
          if (error.errno !== 1062) throw error;
        })
        .then(
          () => {
            channel.ack(message); // after commit (autocommit insert)
            if (++granted === target) done();
          },
          (error: unknown) => ((failure = error), fail(error)),
        ); // anything but a duplicate stops the run instead of leaving it waiting
    });
  }
  let relayStop = false;
  const relay = (async () => {
    while (!relayStop) {
      const conn = await pools.order.getConnection();
      let claimed: number;
      try {
        await conn.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
        await conn.beginTransaction();
        const [rows] = (await conn.query('SELECT id, message_id, payload FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED', [
          options.batch,
        ])) as unknown as [OutboxRow[]];
        claimed = rows.length;
        await Promise.all(rows.map((r) => publishConfirmed(publisher, exchange, 'payment.succeeded', Buffer.from(r.payload), r.message_id)));
        if (claimed) await conn.query('UPDATE outbox SET sent_at = NOW(3) WHERE id IN (?)', [rows.map((r) => r.id)]);
        await conn.commit();
      } finally {
        conn.release();
      }
      if (claimed === 0) await new Promise((resolve) => setTimeout(resolve, 2));
    }
  })();
  const rates: number[] = [];
  let cpuSecondsPer1000Orders = Number.NaN;
  let expected = 0;
  for (const orders of passes) {
    expected += orders * 2;
    const allGranted = new Promise<void>((resolve, reject) => ((done = resolve), (fail = reject)));
    target = expected;
    if (failure) throw failure;
    const cpuBefore = process.cpuUsage();
    const started = Date.now();
    await pacedLoad(orders, { concurrency: options.concurrency }, async () => {
      const orderId = randomUUID();
      const eventId = randomUUID();
      const conn = await pools.order.getConnection();
      try {
        await conn.beginTransaction();
        await conn.query("INSERT INTO orders VALUES (?, 'u', 10.00, 'PAID', NOW(3))", [orderId]);
        await conn.query('INSERT INTO outbox (message_id, payload) VALUES (?, ?)', [eventId, JSON.stringify({ eventId, orderId })]);
        await conn.commit();
      } finally {
        conn.release();
      }
    });
    if (granted < expected) await allGranted;
    rates.push(orders / ((Date.now() - started) / 1000));
    const cpu = process.cpuUsage(cpuBefore);
    cpuSecondsPer1000Orders = ((cpu.user + cpu.system) / 1e6 / orders) * 1000;
  }
  relayStop = true;
  await relay;
  return { rates, cpuSecondsPer1000Orders };
}

async function confirmedPublishRate(channel: ConfirmChannel, exchange: string, count: number, window: number): Promise<number> {
  const events = Array.from({ length: count }, () =>
    paymentSucceededV1({ orderId: randomUUID(), userId: 'raw-bench', amount: '10.00', currency: 'CNY' }, new Date()),
  );
  const started = Date.now();
  let inFlight: Promise<void>[] = [];
  for (const event of events) {
    inFlight.push(publishConfirmed(channel, exchange, 'payment.succeeded', Buffer.from(JSON.stringify(event)), event.eventId));
    if (inFlight.length >= window) {
      await Promise.all(inFlight);
      inFlight = [];
    }
  }
  await Promise.all(inFlight);
  return count / ((Date.now() - started) / 1000);
}

/** Consumes `count` events already waiting in `queue` (left by the publish test): parse, one grant insert, then the ack. */
async function consumerRate(connection: import('amqplib').ChannelModel, pool: Pool, queue: string, count: number, prefetch: number): Promise<number> {
  const channel = await connection.createChannel();
  await channel.prefetch(prefetch);
  let consumed = 0;
  let taken = 0;
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    void channel.consume(queue, (message) => {
      if (!message) return;
      // Exactly `count`: what prefetch delivers beyond it stays unacked, and the close requeues it
      // for the next pass.
      if (taken++ >= count) return;
      const event = JSON.parse(message.content.toString());
      pool
        .query('INSERT INTO grants (id, order_id, event_id, amount, issued_at) VALUES (?, ?, ?, ?, NOW(3))', [
          randomUUID(),
          event.data.orderId,
          event.eventId,
          '1.00',
        ])
        .then(() => {
          channel.ack(message);
          if (++consumed === count) resolve();
        }, reject);
    });
  });
  const rate = count / ((Date.now() - started) / 1000);
  await channel.close();
  return rate;
}

/** The raw job's three databases and their tables (the raw script and the raw HTTP server share them). */
export async function createRawSchemas(admin: Connection, run: string): Promise<{ order: string; a: string; b: string }> {
  const dbs = { order: `${run}_order`, a: `${run}_grant_a`, b: `${run}_grant_b` };
  for (const db of Object.values(dbs)) await admin.query(`CREATE DATABASE \`${db}\``);
  await admin.query(
    `CREATE TABLE \`${dbs.order}\`.orders (id CHAR(36) PRIMARY KEY, user_id VARCHAR(64), amount DECIMAL(12,2), status VARCHAR(16), created_at DATETIME(3))`,
  );
  await admin.query(
    `CREATE TABLE \`${dbs.order}\`.outbox (id BIGINT AUTO_INCREMENT PRIMARY KEY, message_id CHAR(36) UNIQUE, payload TEXT, sent_at DATETIME(3) NULL, KEY (sent_at))`,
  );
  for (const db of [dbs.a, dbs.b]) {
    await admin.query(
      `CREATE TABLE \`${db}\`.grants (id CHAR(36) PRIMARY KEY, order_id CHAR(36) UNIQUE, event_id CHAR(36) UNIQUE, amount DECIMAL(12,2), issued_at DATETIME(3))`,
    );
  }
  return dbs;
}
