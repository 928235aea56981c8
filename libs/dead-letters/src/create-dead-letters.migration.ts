import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateDeadLetters1763700000500 implements MigrationInterface {
  name = 'CreateDeadLetters1763700000500';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE dead_letters (
        id BIGINT NOT NULL AUTO_INCREMENT,
        dead_letter_key CHAR(64) NOT NULL,
        message_id VARCHAR(128) NULL,
        original_queue VARCHAR(255) NOT NULL,
        payload LONGBLOB NOT NULL,
        properties LONGTEXT NOT NULL,
        headers LONGTEXT NOT NULL,
        reason VARCHAR(32) NOT NULL,
        error_code VARCHAR(64) NOT NULL,
        error_class VARCHAR(16) NOT NULL,
        error_message VARCHAR(512) NOT NULL,
        attempts INT NOT NULL,
        first_failed_at DATETIME(3) NULL,
        last_failed_at DATETIME(3) NULL,
        dead_lettered_at DATETIME(3) NOT NULL,
        status VARCHAR(16) NOT NULL,
        redriven_at DATETIME(3) NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_dead_letters_key (dead_letter_key),
        KEY ix_dead_letters_status (status, id),
        KEY ix_dead_letters_message (message_id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE dead_letters');
  }
}
