import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `Idempotency-Key` on `POST /orders`: one row per key (its SHA-256), the request it was first
 * used with (SHA-256 of the canonical body) and the order it created; deleted after retention.
 */
export class CreateIdempotencyKeys1765000000000 implements MigrationInterface {
  name = 'CreateIdempotencyKeys1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE idempotency_keys (
        key_hash CHAR(64) NOT NULL PRIMARY KEY,
        request_hash CHAR(64) NOT NULL,
        order_id CHAR(36) NOT NULL,
        created_at DATETIME(3) NOT NULL,
        KEY ix_idempotency_created (created_at)
      ) ENGINE=InnoDB`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE idempotency_keys');
  }
}
