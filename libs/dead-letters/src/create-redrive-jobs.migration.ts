import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateRedriveJobs1765100000400 implements MigrationInterface {
  name = 'CreateRedriveJobs1765100000400';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE redrive_jobs (
        id BIGINT NOT NULL AUTO_INCREMENT,
        status VARCHAR(16) NOT NULL,
        rate_per_second INT NOT NULL,
        filter VARCHAR(512) NOT NULL,
        up_to BIGINT NOT NULL,
        after_id BIGINT NOT NULL,
        total INT NOT NULL,
        redriven INT NOT NULL,
        skipped INT NOT NULL,
        failed INT NOT NULL,
        operator VARCHAR(32) NOT NULL,
        created_at DATETIME(3) NOT NULL,
        updated_at DATETIME(3) NOT NULL,
        PRIMARY KEY (id),
        KEY ix_redrive_jobs_status (status, id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE redrive_jobs');
  }
}
