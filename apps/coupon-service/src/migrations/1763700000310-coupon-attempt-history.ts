import { MigrationInterface, QueryRunner } from 'typeorm';

/** The grant keeps the failures its message went through (bounded header), for the order's timeline. */
export class CouponAttemptHistory1763700000310 implements MigrationInterface {
  name = 'CouponAttemptHistory1763700000310';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE coupons ADD COLUMN attempt_history VARCHAR(400) NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE coupons DROP COLUMN attempt_history');
  }
}
