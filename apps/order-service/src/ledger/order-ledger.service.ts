import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** One entry of an order's story, as the console shows it (`order.created`, `event.published`, ...). */
export interface TimelineRow {
  at: string;
  service: string;
  event: string;
  detail: Record<string, unknown>;
}

const SERVICE = 'order-service';

/**
 * The order service's side of the console's ledger and timelines. Every query is an index lookup
 * or an index-only count (see LedgerReadIndexes1763700000700), so a console polling once a second
 * costs the service little.
 */
@Injectable()
export class OrderLedgerService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Orders per status and the outbox rows not yet confirmed by the broker. */
  async summary(): Promise<{ orders: Record<string, number>; outboxPending: number; at: string }> {
    const at = new Date().toISOString();
    const statuses: Array<{ status: string; n: string | number }> = await this.dataSource.query('SELECT status, COUNT(*) AS n FROM orders GROUP BY status');
    const [pending]: Array<{ n: string | number }> = await this.dataSource.query('SELECT COUNT(*) AS n FROM outbox_messages WHERE sent_at IS NULL');
    const orders: Record<string, number> = { CREATED: 0, PAID: 0 };
    for (const row of statuses) orders[row.status] = Number(row.n);
    return { orders, outboxPending: Number(pending.n), at };
  }

  /** Paid order ids in id order, one page after `after`: how the console names a lost or duplicated order. */
  async paidOrderIds(after: string, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query("SELECT id FROM orders WHERE status = 'PAID' AND id > ? ORDER BY id LIMIT ?", [
      after,
      limit,
    ]);
    return rows.map((row) => row.id);
  }

  /** The order's rows (created, paid, its event published) and its event id; undefined when no such order. */
  async timeline(orderId: string): Promise<{ orderId: string; eventId: string | null; rows: TimelineRow[] } | undefined> {
    const [order]: Array<{ created_at: Date; paid_at: Date | null; amount: string; currency: string; user_id: string }> = await this.dataSource.query(
      'SELECT created_at, paid_at, amount, currency, user_id FROM orders WHERE id = ?',
      [orderId],
    );
    if (!order) return undefined;
    const rows: TimelineRow[] = [
      {
        at: order.created_at.toISOString(),
        service: SERVICE,
        event: 'order.created',
        detail: { userId: order.user_id, amount: order.amount, currency: order.currency },
      },
    ];
    if (order.paid_at) rows.push({ at: order.paid_at.toISOString(), service: SERVICE, event: 'order.paid', detail: {} });
    // Sent outbox rows are purged after their retention period: an old order may have no row here.
    const outbox: Array<{ message_id: string; sent_at: Date | null; attempts: number; last_error: string | null; created_at: Date }> =
      await this.dataSource.query('SELECT message_id, sent_at, attempts, last_error, created_at FROM outbox_messages WHERE order_id = ? ORDER BY id LIMIT 5', [
        orderId,
      ]);
    for (const row of outbox) {
      const detail = { eventId: row.message_id, relayAttempts: row.attempts, ...(row.last_error ? { lastError: row.last_error } : {}) };
      if (row.sent_at) rows.push({ at: row.sent_at.toISOString(), service: SERVICE, event: 'event.published', detail });
      else rows.push({ at: row.created_at.toISOString(), service: SERVICE, event: 'event.pending', detail });
    }
    return { orderId, eventId: outbox[0]?.message_id ?? null, rows };
  }
}
