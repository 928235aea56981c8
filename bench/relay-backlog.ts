import { randomUUID } from 'node:crypto';
import { Pool, RowDataPacket } from 'mysql2/promise';
import { PAYMENT_EVENTS_EXCHANGE, PaymentSucceeded, paymentSucceededV1 } from '@reliable-payments/contracts';
import { OutboxSql, OutboxWriter } from '@reliable-payments/outbox';
import { BenchSystem } from './bench-system';

/** The user id of the backlog's events: their rows are told apart from the orders' by it. */
const BACKLOG_USER = 'relay-bench';
/** The warm-up backlog's, published first and not counted. */
const WARMUP_USER = 'relay-warmup';

/**
 * The relay phase: the consumers stopped (the raw publish test publishes to queues no one reads:
 * both measure publishing, not the machine's two cores shared with consumers), an uncounted
 * warm-up backlog of `warmup` rows published first, then a backlog of `backlog` rows committed in
 * one transaction, so the relay finds it whole, as it finds a backlog after an outage. The order
 * service keeps running throughout: a restart would throw away its JIT warm-up. Returns the
 * relay's msg/s; the consumers are started again (their grants are still to come).
 */
export async function measureRelayBacklog(system: BenchSystem, backlog: number, warmup: number): Promise<number> {
  const { services, pools } = system;
  await Promise.all([services.coupon.kill('SIGTERM'), services.redPacket.kill('SIGTERM')]);
  if (warmup > 0) {
    await fillOutbox(pools.order, warmup, WARMUP_USER);
    await system.outboxDrained();
  }
  await fillOutbox(pools.order, backlog, BACKLOG_USER);
  await system.outboxDrained();
  const rate = await relayPublishRate(pools.order, backlog);
  await Promise.all([services.coupon.start(), services.redPacket.start()]);
  return rate;
}

/**
 * `count` payment events as the order service writes them (the same OutboxWriter, 500 rows to a
 * statement), in one transaction, or one per `perTransaction` rows (a 200,000-event backlog).
 */
export async function fillOutbox(pool: Pool, count: number, userId: string, perTransaction = Number.POSITIVE_INFINITY): Promise<void> {
  const conn = await pool.getConnection();
  const sql: OutboxSql = { query: async <T>(query: string, parameters?: unknown[]) => (await conn.query(query, parameters))[0] as T };
  const writer = new OutboxWriter();
  const now = new Date();
  const message = () => {
    const event = paymentSucceededV1({ orderId: randomUUID(), userId, amount: '10.00', currency: 'CNY' }, now);
    return { messageId: event.eventId, exchange: PAYMENT_EVENTS_EXCHANGE, routingKey: PaymentSucceeded.routingKey, type: event.type, body: event };
  };
  try {
    for (let done = 0; done < count;) {
      const rows = Math.min(count - done, perTransaction);
      await conn.beginTransaction();
      for (let i = 0; i < rows; i += 500) await writer.addAll(sql, Array.from({ length: Math.min(500, rows - i) }, message), now);
      await conn.commit();
      done += rows;
    }
  } finally {
    conn.release();
  }
}

/**
 * From the relay's own `sent_at` marks. Rows are marked sent per batch, so the span between the
 * first and the last mark covers every batch but the first: count the rows after the first mark
 * only. Too few marks to time: NaN (reported n/a).
 */
export async function relayPublishRate(pool: Pool, backlog: number, userId = BACKLOG_USER): Promise<number> {
  const marks = (
    await pool.query<RowDataPacket[]>('SELECT sent_at AS at, COUNT(*) AS n FROM outbox_messages WHERE payload LIKE ? GROUP BY sent_at ORDER BY sent_at', [
      `%${userId}%`,
    ])
  )[0] as Array<{ at: Date; n: number }>;
  const span = marks.length > 1 ? (new Date(marks[marks.length - 1].at).getTime() - new Date(marks[0].at).getTime()) / 1000 : 0;
  return marks.length >= 4 && span > 0 ? (backlog - Number(marks[0].n)) / span : Number.NaN;
}
