import { DataSource } from 'typeorm';

/**
 * Runs `DELETE … WHERE <column> < ? … LIMIT chunk` (given as `sql` without its LIMIT) until a
 * statement deletes fewer than `chunk` rows, or `stop()` says so between statements: short
 * transactions that never hold many locks at once. Returns how many rows went.
 */
export async function deleteInChunks(
  dataSource: DataSource,
  sql: string,
  parameters: unknown[],
  chunk: number,
  stop: () => boolean = () => false,
): Promise<number> {
  let deleted = 0;
  for (;;) {
    const result = (await dataSource.query(`${sql} LIMIT ${chunk}`, parameters)) as { affectedRows: number };
    deleted += result.affectedRows;
    if (result.affectedRows < chunk || stop()) return deleted;
  }
}
