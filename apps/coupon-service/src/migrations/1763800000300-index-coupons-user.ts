import { MigrationInterface, QueryRunner } from 'typeorm';

/** Grant listings filter by user (`?userId=`): an index, so that is never a table scan. */
export class IndexCouponsUser1763800000300 implements MigrationInterface {
  name = 'IndexCouponsUser1763800000300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX ix_coupons_user ON coupons (user_id, issued_at)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX ix_coupons_user ON coupons');
  }
}
