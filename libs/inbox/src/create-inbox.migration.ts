import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateInbox1763700000100 implements MigrationInterface {
  name = 'CreateInbox1763700000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE inbox_messages (
        consumer VARCHAR(128) NOT NULL,
        message_id VARCHAR(128) NOT NULL,
        processed_at DATETIME(3) NOT NULL,
        PRIMARY KEY (consumer, message_id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE inbox_messages');
  }
}
