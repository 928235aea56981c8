import { MigrationInterface, QueryRunner } from 'typeorm';

/** Lets the retention cleanup find old rows without scanning the whole inbox. */
export class IndexInboxProcessedAt1763800000100 implements MigrationInterface {
  name = 'IndexInboxProcessedAt1763800000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX ix_inbox_processed_at ON inbox_messages (processed_at)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX ix_inbox_processed_at ON inbox_messages');
  }
}
