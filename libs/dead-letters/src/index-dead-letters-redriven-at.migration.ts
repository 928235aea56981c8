import { MigrationInterface, QueryRunner } from 'typeorm';

/** Lets the retention cleanup find old re-driven letters without scanning every one of them. */
export class IndexDeadLettersRedrivenAt1763800000200 implements MigrationInterface {
  name = 'IndexDeadLettersRedrivenAt1763800000200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX ix_dead_letters_redriven ON dead_letters (status, redriven_at)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX ix_dead_letters_redriven ON dead_letters');
  }
}
