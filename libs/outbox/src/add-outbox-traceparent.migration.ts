import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The W3C `traceparent` of the request that wrote the row: the relay publishes from a poll, with no
 * request around it, so the trace context travels with the row (NULL when tracing is off).
 */
export class AddOutboxTraceparent1763700000600 implements MigrationInterface {
  name = 'AddOutboxTraceparent1763700000600';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE outbox_messages ADD COLUMN traceparent VARCHAR(55) NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE outbox_messages DROP COLUMN traceparent');
  }
}
