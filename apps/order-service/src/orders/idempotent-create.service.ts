import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { RetentionSweeper } from '@reliable-payments/persistence';
import { CreateOrderDto } from './orders.dto';
import { IdempotencyKeyInFlightError, IdempotencyKeyReusedError } from './orders.errors';
import { ORDERS_OPTIONS, OrdersOptions, OrdersService, OrderView } from './orders.service';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * `POST /orders` with an `Idempotency-Key` (IETF draft): the key is claimed with the id of the
 * order it will create, before the order is written. The same key with the same body answers that
 * order again; with another body, 422; while the first request is still running (its order not
 * written yet), 409. A failed create releases the key, so the client's retry can succeed. Keys go
 * after `ORDER_IDEMPOTENCY_KEY_RETENTION`.
 */
@Injectable()
export class IdempotentCreate implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly sweeper: RetentionSweeper;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly orders: OrdersService,
    @Inject(ORDERS_OPTIONS) private readonly options: OrdersOptions,
  ) {
    this.sweeper = new RetentionSweeper(
      dataSource,
      {
        rows: 'idempotency keys',
        deleteSql: 'DELETE FROM idempotency_keys WHERE created_at < ? ORDER BY created_at',
        chunk: 1000,
        retentionMs: options.idempotencyKeyRetentionMs,
        intervalMs: options.cleanupIntervalMs,
      },
      new Logger(IdempotentCreate.name),
    );
  }

  async create(key: string, dto: CreateOrderDto): Promise<OrderView> {
    const keyHash = sha256(key);
    // The body after validation and defaults, keys in a fixed order: "5.00" and 5 are one request.
    const requestHash = sha256(JSON.stringify([dto.userId, dto.amount, dto.currency]));
    const orderId = randomUUID();
    const claimed = await this.dataSource
      .query('INSERT INTO idempotency_keys (key_hash, request_hash, order_id, created_at) VALUES (?, ?, ?, NOW(3))', [keyHash, requestHash, orderId])
      .then(
        () => true,
        (error: { code?: string }) => {
          if (error.code === 'ER_DUP_ENTRY') return false;
          throw error;
        },
      );
    if (!claimed) return this.replay(keyHash, requestHash);
    try {
      return await this.orders.create(dto, orderId);
    } catch (error) {
      await this.dataSource.query('DELETE FROM idempotency_keys WHERE key_hash = ?', [keyHash]).catch(() => undefined);
      throw error;
    }
  }

  private async replay(keyHash: string, requestHash: string): Promise<OrderView> {
    const [row] = (await this.dataSource.query('SELECT request_hash AS requestHash, order_id AS orderId FROM idempotency_keys WHERE key_hash = ?', [
      keyHash,
    ])) as Array<{ requestHash: string; orderId: string }>;
    if (!row) throw new IdempotencyKeyInFlightError(); // released by a failed first request just now
    if (row.requestHash !== requestHash) throw new IdempotencyKeyReusedError();
    return this.orders.find(row.orderId).then((order) => {
      if (!order) throw new IdempotencyKeyInFlightError();
      return order;
    });
  }

  /** Deletes keys older than the retention now, a chunk at a time; returns how many. */
  cleanup(): Promise<number> {
    return this.sweeper.sweep();
  }

  onApplicationBootstrap(): void {
    this.sweeper.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.sweeper.stop();
  }
}
