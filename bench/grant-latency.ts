import { Pool, RowDataPacket } from 'mysql2/promise';

/**
 * Pay response → both grants committed (the later grant's `issued_at`), ms, per order: for the
 * contenders whose grant tables have an `order_id` and an `issued_at` (raw HTTP, peer).
 */
export async function grantLatencies(tables: Array<[Pool, string]>, respondedAt: Map<string, number>): Promise<number[]> {
  const ids = [...respondedAt.keys()];
  const issued = new Map<string, number>();
  for (let i = 0; i < ids.length; i += 5000) {
    const chunk = ids.slice(i, i + 5000);
    for (const [pool, table] of tables) {
      const [rows] = await pool.query<RowDataPacket[]>(`SELECT order_id, issued_at FROM ${table} WHERE order_id IN (?)`, [chunk]);
      for (const row of rows) issued.set(row.order_id, Math.max(issued.get(row.order_id) ?? 0, new Date(row.issued_at).getTime()));
    }
  }
  return ids.map((id) => Math.max(0, (issued.get(id) ?? Number.NaN) - respondedAt.get(id)!));
}

/** The `n` of `SELECT COUNT(*) AS n FROM table` summed over tables. */
export async function countRows(tables: Array<[Pool, string]>): Promise<number> {
  let n = 0;
  for (const [pool, table] of tables) n += Number(((await pool.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${table}`))[0] as RowDataPacket[])[0].n);
  return n;
}
