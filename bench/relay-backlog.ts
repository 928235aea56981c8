import { randomUUID } from 'node:crypto';
import { Pool, RowDataPacket } from 'mysql2/promise';
import { PAYMENT_EVENTS_EXCHANGE, PaymentSucceeded, paymentSucceededV1 } from '@reliable-payments/contracts';
import { OutboxSql, OutboxWriter } from '@reliable-payments/outbox';
import { BenchSystem } from './bench-system';

/** The user id of the backlog's events: their rows are told apart from the orders' by it. */
const BACKLOG_USER = 'relay-bench';

/**
 * The relay phase: a backlog of `backlog` rows written into the outbox while the order service is
 * down, then published with the consumers stopped, as the raw publish test publishes to queues no
 * one reads: both measure publishing, not the machine's two cores shared with consumers. Returns
 * the relay's msg/s; the consumers are started again (their grants are still to come).
 */
export async function measureRelayBacklog(system: BenchSystem, backlog: number): Promise<number> {
  const { services, pools } = system;
  await Promise.all(Object.values(services).map((s) => s.kill('SIGTERM')));
  await fillOutbox(pools.order, backlog);
  await services.order.start();
  await system.outboxDrained();
  const rate = await relayPublishRate(pools.order, backlog);
  await Promise.all([services.coupon.start(), services.redPacket.start()]);
  return rate;
}

/** `count` payment events as the order service writes them: the same OutboxWriter, 500 rows to a statement. */
async function fillOutbox(pool: Pool, count: number): Promise<void> {
  const sql: OutboxSql = { query: async <T>(query: string, parameters?: unknown[]) => (await pool.query(query, parameters))[0] as T };
  const writer = new OutboxWriter();
  const now = new Date();
  const messages = Array.from({ length: count }, () => {
    const event = paymentSucceededV1({ orderId: randomUUID(), userId: BACKLOG_USER, amount: '10.00', currency: 'CNY' }, now);
    return { messageId: event.eventId, exchange: PAYMENT_EVENTS_EXCHANGE, routingKey: PaymentSucceeded.routingKey, type: event.type, body: event };
  });
  for (let i = 0; i < messages.length; i += 500) await writer.addAll(sql, messages.slice(i, i + 500), now);
}

/**
 * From the relay's own `sent_at` marks. Rows are marked sent per batch, so the span between the
 * first and the last mark covers every batch but the first: count the rows after the first mark
 * only. Too few marks to time: NaN (reported n/a).
 */
async function relayPublishRate(pool: Pool, backlog: number): Promise<number> {
  const marks = (await pool.query<RowDataPacket[]>('SELECT sent_at AS at, COUNT(*) AS n FROM outbox_messages WHERE payload LIKE ? GROUP BY sent_at ORDER BY sent_at', [
    `%${BACKLOG_USER}%`,
  ]))[0] as Array<{ at: Date; n: number }>;
  const span = marks.length > 1 ? (new Date(marks[marks.length - 1].at).getTime() - new Date(marks[0].at).getTime()) / 1000 : 0;
  return marks.length >= 4 && span > 0 ? (backlog - Number(marks[0].n)) / span : Number.NaN;
}
