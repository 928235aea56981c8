import { MigrationInterface, QueryRunner } from 'typeorm';
import { failureFingerprint } from './failure-fingerprint';
import { EXHAUSTED_REASONS } from './redrive-class';

/**
 * What the service decides about a letter when it stores it, each in its own column: whether a plain
 * re-drive may send it (`redrive_class`, an allow-list: issue 20 item 9), its failure group
 * (`fingerprint`), the order it is about (`order_id`, so the anonymous ledger summary never parses
 * payloads: issue 20 item 5), and an operator's discard. Existing rows are filled here.
 */
export class ClassifyDeadLetters1765100000100 implements MigrationInterface {
  name = 'ClassifyDeadLetters1765100000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE dead_letters
        ADD COLUMN redrive_class VARCHAR(16) NOT NULL DEFAULT 'poison',
        ADD COLUMN fingerprint CHAR(16) NOT NULL DEFAULT '',
        ADD COLUMN order_id VARCHAR(36) NULL,
        ADD COLUMN discarded_at DATETIME(3) NULL,
        ADD COLUMN operator_comment VARCHAR(500) NULL,
        ADD KEY ix_dead_letters_fingerprint (status, fingerprint),
        ADD KEY ix_dead_letters_order (status, order_id)`);
    const allowed = EXHAUSTED_REASONS.map(() => '?').join(', ');
    await queryRunner.query(
      `UPDATE dead_letters SET redrive_class = 'exhausted' WHERE reason IN (${allowed}) AND NOT (reason = 'retries-exhausted' AND error_class = 'permanent')`,
      [...EXHAUSTED_REASONS],
    );
    // Once, at upgrade: the same expression the old summary ran on every call. MySQL raises an error
    // on invalid JSON where MariaDB returns NULL, hence JSON_VALID first.
    await queryRunner.query(`
      UPDATE dead_letters SET order_id = CASE WHEN JSON_VALID(CONVERT(payload USING utf8mb4))
        THEN JSON_VALUE(CONVERT(payload USING utf8mb4), '$.data.orderId') END
      WHERE LENGTH(payload) BETWEEN 1 AND 1048576`);
    await queryRunner.query(
      "UPDATE dead_letters SET order_id = NULL WHERE order_id NOT REGEXP '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'",
    );
    let afterId = '0';
    for (;;) {
      const rows = (await queryRunner.query('SELECT id, error_code, error_message FROM dead_letters WHERE id > ? ORDER BY id LIMIT 500', [afterId])) as Array<{
        id: string | number;
        error_code: string;
        error_message: string;
      }>;
      if (rows.length === 0) break;
      for (const row of rows)
        await queryRunner.query('UPDATE dead_letters SET fingerprint = ? WHERE id = ?', [failureFingerprint(row.error_code, row.error_message), row.id]);
      afterId = String(rows[rows.length - 1].id);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE dead_letters DROP KEY ix_dead_letters_fingerprint, DROP KEY ix_dead_letters_order,
        DROP COLUMN redrive_class, DROP COLUMN fingerprint, DROP COLUMN order_id, DROP COLUMN discarded_at, DROP COLUMN operator_comment`);
  }
}
