import { MigrationInterface, QueryRunner } from 'typeorm';

/** Grant listings filter by user (`?userId=`): an index, so that is never a table scan. */
export class IndexRedPacketsUser1763800000400 implements MigrationInterface {
  name = 'IndexRedPacketsUser1763800000400';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX ix_red_packets_user ON red_packets (user_id, issued_at)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX ix_red_packets_user ON red_packets');
  }
}
