import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateRedPackets1763700000400 implements MigrationInterface {
  name = 'CreateRedPackets1763700000400';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE red_packets (
        id CHAR(36) NOT NULL,
        order_id CHAR(36) NOT NULL,
        user_id VARCHAR(64) NOT NULL,
        amount DECIMAL(12,2) NOT NULL,
        currency CHAR(3) NOT NULL,
        issued_at DATETIME(3) NOT NULL,
        event_id CHAR(36) NOT NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_red_packets_order (order_id),
        UNIQUE KEY uq_red_packets_event (event_id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE red_packets');
  }
}
