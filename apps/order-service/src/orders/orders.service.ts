import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PAYMENT_EVENTS_EXCHANGE, PaymentSucceeded, paymentSucceededV1 } from '@app/contracts';
import { OutboxRelay, OutboxWriter } from '@app/outbox';
import { runInTransaction } from '@app/persistence';
import { CreateOrderDto } from './orders.dto';
import { OrderNotFoundError } from './orders.errors';
import { Order } from './order.entity';

export interface OrderView {
  id: string;
  userId: string;
  amount: string;
  currency: string;
  status: Order['status'];
  createdAt: string;
  paidAt: string | null;
}

export function toView(order: Order): OrderView {
  return {
    id: order.id,
    userId: order.userId,
    amount: order.amount,
    currency: order.currency,
    status: order.status,
    createdAt: order.createdAt.toISOString(),
    paidAt: order.paidAt ? order.paidAt.toISOString() : null,
  };
}

@Injectable()
export class OrdersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly relay: OutboxRelay,
  ) {}

  async create(dto: CreateOrderDto): Promise<OrderView> {
    const order: Order = {
      id: randomUUID(),
      userId: dto.userId,
      amount: dto.amount,
      currency: dto.currency,
      status: 'CREATED',
      createdAt: new Date(),
      paidAt: null,
    };
    await this.dataSource.query(
      'INSERT INTO orders (id, user_id, amount, currency, status, created_at, paid_at) VALUES (?, ?, ?, ?, ?, ?, NULL)',
      [order.id, order.userId, order.amount, order.currency, order.status, order.createdAt],
    );
    return toView(order);
  }

  async get(id: string): Promise<OrderView> {
    const order = await this.dataSource.manager.findOneBy(Order, { id });
    if (!order) throw new OrderNotFoundError(id);
    return toView(order);
  }

  /**
   * Marks the order paid and writes its payment.succeeded event to the outbox in one transaction.
   * The row lock makes a racing second pay wait and then see PAID: it returns the same paidAt and
   * writes no second event. No broker I/O happens here; the relay is only woken after the commit.
   */
  async pay(id: string): Promise<OrderView> {
    const { order, paidNow } = await runInTransaction(this.dataSource, async (manager) => {
      // Plain SQL on this path: three statements and a commit, no query-builder work per request.
      const [found] = (await manager.query(
        'SELECT id, user_id AS userId, amount, currency, status, created_at AS createdAt, paid_at AS paidAt FROM orders WHERE id = ? FOR UPDATE',
        [id],
      )) as Order[];
      if (!found) throw new OrderNotFoundError(id);
      if (found.status === 'PAID') return { order: found, paidNow: false };
      const paidAt = new Date();
      await manager.query("UPDATE orders SET status = 'PAID', paid_at = ? WHERE id = ?", [paidAt, id]);
      const event = paymentSucceededV1(
        { orderId: found.id, userId: found.userId, amount: found.amount, currency: found.currency },
        paidAt,
      );
      await this.outbox.add(
        manager,
        { messageId: event.eventId, exchange: PAYMENT_EVENTS_EXCHANGE, routingKey: PaymentSucceeded.routingKey, type: event.type, body: event },
        paidAt,
      );
      return { order: { ...found, status: 'PAID' as const, paidAt }, paidNow: true };
    });
    if (paidNow) this.relay.wake(); // after the commit: keeps latency off the poll interval
    return toView(order);
  }
}
