import { Inject, Injectable, Optional } from '@nestjs/common';
import { trace, Tracer } from '@opentelemetry/api';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { PAYMENT_EVENTS_EXCHANGE, PaymentSucceeded, paymentSucceededV1 } from '@reliable-payments/contracts';
import { OutboxRelay, OutboxWriter } from '@reliable-payments/outbox';
import { GroupCommit, insertRows, isDatabaseUnavailable, runInTransaction } from '@reliable-payments/persistence';
import { inSpan, TRACER, traceparentOf } from '@reliable-payments/tracing';
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

export const ORDERS_OPTIONS = Symbol('ORDERS_OPTIONS');

export interface OrdersOptions {
  /** Concurrent create / pay requests committed in one transaction; 1 = a transaction each. */
  batchSize: number;
  /** Requests waiting for a group commit beyond this are refused at once (503), not queued without bound. */
  queueLimit: number;
  /** How long an Idempotency-Key is remembered (ORDER_IDEMPOTENCY_KEY_RETENTION). */
  idempotencyKeyRetentionMs: number;
  /** How often expired keys are deleted (OUTBOX_CLEANUP_INTERVAL). */
  cleanupIntervalMs: number;
}

/** One pay request: the order, and the trace context its outbox row carries to the relay. */
interface PayRequest {
  id: string;
  traceparent?: string;
}

/** What paying one order came to; undefined when there is no such order. */
type PayOutcome = { order: Order; paidNow: boolean } | undefined;

const ORDER_COLUMNS = 'id, user_id AS userId, amount, currency, status, created_at AS createdAt, paid_at AS paidAt';

@Injectable()
export class OrdersService {
  private readonly creates: GroupCommit<Order, void>;
  private readonly payments: GroupCommit<PayRequest, PayOutcome>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly relay: OutboxRelay,
    @Inject(ORDERS_OPTIONS) options: OrdersOptions,
    @Optional() @Inject(TRACER) private readonly tracer: Tracer = trace.getTracer('noop'),
  ) {
    // Group commit (see GroupCommit): requests that arrive together share one transaction and
    // multi-row statements. Plain SQL throughout: this is the hot path, and the query builder's
    // work showed in profiles.
    const grouping = { maxBatch: options.batchSize, maxInFlight: 4, maxQueued: options.queueLimit, failsAll: isDatabaseUnavailable };
    this.creates = new GroupCommit<Order, void>(dataSource, {
      name: 'create-orders',
      ...grouping,
      batch: (manager, orders) => insertRows(manager, Order, orders).then(() => orders.map(() => undefined)),
      transaction: false, // one multi-row INSERT is atomic by itself
      single: (order) => insertRows(this.dataSource.manager, Order, [order]),
    });
    this.payments = new GroupCommit<PayRequest, PayOutcome>(dataSource, {
      name: 'pay-orders',
      ...grouping,
      batch: (manager, requests) => this.payAll(manager, requests),
      single: (request) => runInTransaction(this.dataSource, (manager) => this.payAll(manager, [request])).then(([outcome]) => outcome),
    });
  }

  /** Creates an order; `id` is given by an Idempotency-Key's claim, made before the order is written. */
  async create(dto: CreateOrderDto, id: string = randomUUID()): Promise<OrderView> {
    const order: Order = {
      id,
      userId: dto.userId,
      amount: dto.amount,
      currency: dto.currency,
      status: 'CREATED',
      createdAt: new Date(),
      paidAt: null,
    };
    await this.creates.submit(order);
    return toView(order);
  }

  /** The order, or undefined when there is none (yet). */
  async find(id: string): Promise<OrderView | undefined> {
    const order = await this.dataSource.manager.findOneBy(Order, { id });
    return order ? toView(order) : undefined;
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
    // One span per request for the transaction it shares with the requests grouped with it; its
    // context is what the outbox row stores, so the relay's publish continues this trace.
    const outcome = await inSpan(this.tracer, 'orders.pay transaction', { 'order.id': id }, () => this.payments.submit({ id, traceparent: traceparentOf() }));
    if (!outcome) throw new OrderNotFoundError(id);
    if (outcome.paidNow) this.relay.wake(); // after the commit: keeps latency off the poll interval
    return toView(outcome.order);
  }

  /**
   * Pays the given orders inside the caller's transaction, whatever their number: one locking
   * SELECT, one UPDATE and one multi-row outbox INSERT. Rows are locked in key order, so two
   * groups never deadlock on each other. An id given twice is paid once: the first caller is told
   * it paid now, the second sees it paid, with the same paidAt.
   */
  private async payAll(manager: EntityManager, requests: PayRequest[]): Promise<PayOutcome[]> {
    const ids = requests.map((r) => r.id);
    const traceparents = new Map(requests.map((r) => [r.id, r.traceparent]));
    const found = (await manager.query(`SELECT ${ORDER_COLUMNS} FROM orders WHERE id IN (?) ORDER BY id FOR UPDATE`, [[...new Set(ids)]])) as Order[];
    const byId = new Map(found.map((order) => [order.id, order]));
    const toPay = found.filter((order) => order.status === 'CREATED');
    const paidNow = new Set<string>();
    if (toPay.length > 0) {
      const paidAt = new Date();
      await manager.query("UPDATE orders SET status = 'PAID', paid_at = ? WHERE id IN (?)", [paidAt, toPay.map((order) => order.id)]);
      const messages = toPay.map((order) => {
        const event = paymentSucceededV1({ orderId: order.id, userId: order.userId, amount: order.amount, currency: order.currency }, paidAt);
        return {
          messageId: event.eventId,
          exchange: PAYMENT_EVENTS_EXCHANGE,
          routingKey: PaymentSucceeded.routingKey,
          type: event.type,
          body: event,
          traceparent: traceparents.get(order.id),
        };
      });
      await this.outbox.addAll(manager, messages, paidAt);
      for (const order of toPay) {
        byId.set(order.id, { ...order, status: 'PAID', paidAt });
        paidNow.add(order.id);
      }
    }
    return ids.map((id) => {
      const order = byId.get(id);
      if (!order) return undefined;
      const first = paidNow.delete(id); // true once per id paid in this transaction
      return { order, paidNow: first };
    });
  }
}
