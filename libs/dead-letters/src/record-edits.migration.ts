import { MigrationInterface, QueryRunner } from 'typeorm';

/** Keeps an operator's edited payload beside the original (edit and re-drive): both stay readable. */
export class RecordDeadLetterEdits1765100000200 implements MigrationInterface {
  name = 'RecordDeadLetterEdits1765100000200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE dead_letters ADD COLUMN edited_payload LONGBLOB NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE dead_letters DROP COLUMN edited_payload');
  }
}
