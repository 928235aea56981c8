import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Extends the fingerprint index to `(status, fingerprint, dead_lettered_at)`: the failure groups
 * query (`GET /dead-letters/groups`: count, first and last time, lowest id per fingerprint) then
 * reads the index alone instead of every pending letter's row. With 100,000 pending letters it
 * took 340 ms, and 61-67 ms with this index (bench --tables, EXPLAIN in docs/benchmark.md). The
 * re-drive's group filter still uses its `(status, fingerprint)` prefix.
 */
export class IndexDeadLetterGroups1765200000100 implements MigrationInterface {
  name = 'IndexDeadLetterGroups1765200000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE dead_letters DROP KEY ix_dead_letters_fingerprint, ADD KEY ix_dead_letters_fingerprint (status, fingerprint, dead_lettered_at)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE dead_letters DROP KEY ix_dead_letters_fingerprint, ADD KEY ix_dead_letters_fingerprint (status, fingerprint)');
  }
}
