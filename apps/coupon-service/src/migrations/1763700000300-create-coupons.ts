import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCoupons1763700000300 implements MigrationInterface {
  name = 'CreateCoupons1763700000300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE coupons (
        id CHAR(36) NOT NULL,
        order_id CHAR(36) NOT NULL,
        user_id VARCHAR(64) NOT NULL,
        code VARCHAR(32) NOT NULL,
        value DECIMAL(12,2) NOT NULL,
        currency CHAR(3) NOT NULL,
        issued_at DATETIME(3) NOT NULL,
        event_id CHAR(36) NOT NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_coupons_order (order_id),
        UNIQUE KEY uq_coupons_code (code),
        UNIQUE KEY uq_coupons_event (event_id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE coupons');
  }
}
