import { MigrationInterface, QueryRunner } from 'typeorm';

/** The grant keeps the failures its message went through (bounded header), for the order's timeline. */
export class RedPacketAttemptHistory1763700000410 implements MigrationInterface {
  name = 'RedPacketAttemptHistory1763700000410';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE red_packets ADD COLUMN attempt_history VARCHAR(400) NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE red_packets DROP COLUMN attempt_history');
  }
}
