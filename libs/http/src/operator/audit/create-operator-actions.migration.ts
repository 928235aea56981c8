import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOperatorActions1765100000300 implements MigrationInterface {
  name = 'CreateOperatorActions1765100000300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE operator_actions (
        id BIGINT NOT NULL AUTO_INCREMENT,
        at DATETIME(3) NOT NULL,
        operator VARCHAR(32) NOT NULL,
        action VARCHAR(32) NOT NULL,
        target VARCHAR(255) NOT NULL,
        comment VARCHAR(500) NULL,
        outcome VARCHAR(500) NOT NULL,
        PRIMARY KEY (id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE operator_actions');
  }
}
