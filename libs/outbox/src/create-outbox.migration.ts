import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOutbox1763700000000 implements MigrationInterface {
  name = 'CreateOutbox1763700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE outbox_messages (
        id BIGINT NOT NULL AUTO_INCREMENT,
        message_id VARCHAR(64) NOT NULL,
        exchange VARCHAR(128) NOT NULL,
        routing_key VARCHAR(128) NOT NULL,
        message_type VARCHAR(128) NOT NULL,
        payload LONGTEXT NOT NULL,
        created_at DATETIME(3) NOT NULL,
        sent_at DATETIME(3) NULL,
        attempts INT NOT NULL DEFAULT 0,
        next_attempt_at DATETIME(3) NOT NULL,
        last_error VARCHAR(512) NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_outbox_message_id (message_id),
        KEY ix_outbox_pending (sent_at, next_attempt_at)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE outbox_messages');
  }
}
