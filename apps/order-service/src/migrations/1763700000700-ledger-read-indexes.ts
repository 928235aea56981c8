import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the console's reads: counts per order status (an index-only scan instead of reading
 * every row) and an order's outbox row (the event id and relay attempts of one order's timeline).
 * The outbox keeps the order id only inside its JSON payload, so a virtual column exposes it; the
 * relay's inserts name their columns and never see it.
 */
export class LedgerReadIndexes1763700000700 implements MigrationInterface {
  name = 'LedgerReadIndexes1763700000700';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE orders ADD KEY ix_orders_status (status, id)');
    await queryRunner.query(`
      ALTER TABLE outbox_messages
        ADD COLUMN order_id CHAR(36) AS (JSON_VALUE(payload, '$.data.orderId')) VIRTUAL,
        ADD KEY ix_outbox_order (order_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE outbox_messages DROP KEY ix_outbox_order, DROP COLUMN order_id');
    await queryRunner.query('ALTER TABLE orders DROP KEY ix_orders_status');
  }
}
