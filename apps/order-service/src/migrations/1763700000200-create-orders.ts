import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOrders1763700000200 implements MigrationInterface {
  name = 'CreateOrders1763700000200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE orders (
        id CHAR(36) NOT NULL,
        user_id VARCHAR(64) NOT NULL,
        amount DECIMAL(12,2) NOT NULL,
        currency CHAR(3) NOT NULL,
        status VARCHAR(16) NOT NULL,
        created_at DATETIME(3) NOT NULL,
        paid_at DATETIME(3) NULL,
        PRIMARY KEY (id),
        KEY ix_orders_user (user_id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE orders');
  }
}
