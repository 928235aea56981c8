import { connect, ConfirmChannel } from 'amqplib';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { createPool, RowDataPacket } from 'mysql2/promise';
import { testMysql } from '../../tools/harness/test-servers';

/**
 * The raw job behind a plain node:http server, as one process: `POST /orders` (one INSERT),
 * `POST /orders/:id/pay` (a transaction: lock the order, mark it paid, insert the outbox row), a
 * relay publishing with confirms and `mandatory`, and two consumers inserting one grant each under
 * a unique key and acking after the insert. The SQL and the confirms are the raw script's; the
 * difference to it is what HTTP costs, the difference to the project what the framework costs.
 * Started by raw-http-bench.ts with RAW_* variables; prints `ready` when it listens.
 */
const env = (name: string) => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is required`);
  return value;
};

async function main(): Promise<void> {
  const mysql = testMysql();
  const pool = (database: string) => createPool({ ...mysql, database, connectionLimit: 16 });
  const pools = { order: pool(env('RAW_DB_ORDER')), a: pool(env('RAW_DB_A')), b: pool(env('RAW_DB_B')) };
  const exchange = env('RAW_EXCHANGE');
  const prefetch = Number(env('RAW_PREFETCH'));
  const batch = Number(env('RAW_BATCH'));
  const connection = await connect(env('RABBITMQ_URL'));
  connection.on('error', () => undefined);
  const publisher = await connection.createConfirmChannel();
  publisher.on('error', () => undefined);

  for (const [q, queue] of [
    ['a', env('RAW_QUEUE_A')],
    ['b', env('RAW_QUEUE_B')],
  ] as const) {
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    await channel.prefetch(prefetch);
    await channel.consume(queue, (message) => {
      if (!message) return;
      const event = JSON.parse(message.content.toString());
      pools[q]
        .query('INSERT INTO grants (id, order_id, event_id, amount, issued_at) VALUES (?, ?, ?, ?, NOW(3))', [
          randomUUID(),
          event.orderId,
          event.eventId,
          '1.00',
        ])
        .catch((error: { errno?: number }) => {
          if (error.errno !== 1062) throw error; // a duplicate is done already
        })
        .then(
          () => channel.ack(message), // after the autocommit insert
          () => channel.nack(message, false, false),
        );
    });
  }

  // A pay that commits while the relay is claiming must not wait for the next poll: it leaves
  // `woken` set, and the relay claims again at once instead of sleeping.
  let wake: (() => void) | undefined;
  let woken = false;
  const relay = async () => {
    for (;;) {
      const conn = await pools.order.getConnection();
      let claimed: number;
      try {
        await conn.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
        await conn.beginTransaction();
        const [rows] = await conn.query<RowDataPacket[]>(
          'SELECT id, message_id, payload FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED',
          [batch],
        );
        claimed = rows.length;
        await Promise.all(rows.map((r) => publishConfirmed(publisher, exchange, Buffer.from(r.payload), r.message_id)));
        if (claimed) await conn.query('UPDATE outbox SET sent_at = NOW(3) WHERE id IN (?)', [rows.map((r) => r.id)]);
        await conn.commit();
      } finally {
        conn.release();
      }
      if (claimed === 0 && !woken) await new Promise<void>((resolve) => ((wake = resolve), setTimeout(resolve, 50)));
      woken = false;
      wake = undefined;
    }
  };
  void relay();

  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => reply(res, 500, { error: error.message }));
  });
  server.keepAliveTimeout = 60_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (req.method === 'GET' && req.url === '/health') return reply(res, 200, { status: 'ok' });
    if (req.method === 'POST' && req.url === '/orders') {
      const { userId, amount } = JSON.parse(body) as { userId: string; amount: string };
      if (typeof userId !== 'string' || typeof amount !== 'string') return reply(res, 400, { error: 'userId and amount are required strings' });
      const id = randomUUID();
      await pools.order.query("INSERT INTO orders (id, user_id, amount, status, created_at) VALUES (?, ?, ?, 'CREATED', NOW(3))", [id, userId, amount]);
      return reply(res, 201, { id, userId, amount, status: 'CREATED' });
    }
    const pay = /^\/orders\/([0-9a-f-]{36})\/pay$/.exec(req.url ?? '');
    if (req.method === 'POST' && pay) {
      const id = pay[1];
      const conn = await pools.order.getConnection();
      try {
        await conn.beginTransaction();
        const [rows] = await conn.query<RowDataPacket[]>('SELECT id, user_id, amount, status FROM orders WHERE id = ? FOR UPDATE', [id]);
        if (rows.length === 0) {
          await conn.rollback();
          return reply(res, 404, { error: 'no such order' });
        }
        if (rows[0].status === 'CREATED') {
          const eventId = randomUUID();
          await conn.query("UPDATE orders SET status = 'PAID' WHERE id = ?", [id]);
          await conn.query('INSERT INTO outbox (message_id, payload) VALUES (?, ?)', [eventId, JSON.stringify({ eventId, orderId: id })]);
        }
        await conn.commit();
      } finally {
        conn.release();
      }
      woken = true; // after the commit
      wake?.();
      return reply(res, 200, { id, status: 'PAID' });
    }
    reply(res, 404, { error: 'not found' });
  }

  server.listen(Number(env('RAW_HTTP_PORT')), '127.0.0.1', () => process.stdout.write('ready\n'));
  process.once('SIGTERM', () => {
    server.close();
    void connection.close().catch(() => undefined);
    void Promise.all(Object.values(pools).map((p) => p.end())).finally(() => process.exit(0));
  });
}

function publishConfirmed(channel: ConfirmChannel, exchange: string, body: Buffer, messageId: string): Promise<void> {
  return new Promise((resolve, reject) =>
    channel.publish(exchange, 'payment.succeeded', body, { messageId, persistent: true, contentType: 'application/json', mandatory: true }, (error) =>
      error ? reject(error) : resolve(),
    ),
  );
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

main().catch((error: Error) => {
  process.stderr.write(`raw-http failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
