import { Pool, RowDataPacket } from 'mysql2/promise';

/** One statement the services run on a table that grows, with literal parameters. */
export interface WatchedQuery {
  name: string;
  db: 'order' | 'coupon';
  sql: string;
  /** A DELETE: timed inside a transaction that is rolled back. */
  write?: boolean;
}

/** The hot and the operator statements on the tables that grow (as the libs write them). */
export const WATCHED: WatchedQuery[] = [
  {
    name: 'relay claim',
    db: 'order',
    sql: 'SELECT id, message_id, exchange, routing_key, message_type, payload, attempts, traceparent FROM outbox_messages WHERE sent_at IS NULL AND next_attempt_at <= NOW(3) ORDER BY next_attempt_at, id LIMIT 500',
  },
  {
    name: 'outbox backlog (health)',
    db: 'order',
    sql: 'SELECT COUNT(*) AS pending, COALESCE(SUM(created_at < NOW(3) - INTERVAL 1 MINUTE), 0) AS stuck, MIN(created_at) AS oldest FROM outbox_messages WHERE sent_at IS NULL',
  },
  {
    name: 'outbox cleanup chunk',
    db: 'order',
    sql: 'DELETE FROM outbox_messages WHERE sent_at IS NOT NULL AND sent_at < NOW(3) - INTERVAL 12 HOUR ORDER BY sent_at LIMIT 1000',
    write: true,
  },
  {
    name: 'inbox retention chunk',
    db: 'coupon',
    sql: 'DELETE FROM inbox_messages WHERE processed_at < NOW(3) - INTERVAL 28 DAY ORDER BY processed_at LIMIT 1000',
    write: true,
  },
  {
    name: 'dead letters: first page',
    db: 'coupon',
    sql: "SELECT d.id, d.message_id, LENGTH(d.payload) FROM dead_letters d WHERE d.status = 'PENDING' ORDER BY d.id ASC LIMIT 100 OFFSET 0",
  },
  {
    name: 'dead letters: last page, plain OFFSET',
    db: 'coupon',
    sql: "SELECT d.id, d.message_id, LENGTH(d.payload) FROM dead_letters d WHERE d.status = 'PENDING' ORDER BY d.id ASC LIMIT 100 OFFSET __LAST__",
  },
  {
    name: 'dead letters: last page, ids first',
    db: 'coupon',
    sql: "SELECT d.id, d.message_id, LENGTH(d.payload) FROM dead_letters d JOIN (SELECT id FROM dead_letters WHERE status = 'PENDING' ORDER BY id LIMIT 100 OFFSET __LAST__) k ON k.id = d.id ORDER BY d.id",
  },
  { name: 'dead letters: page total', db: 'coupon', sql: "SELECT COUNT(*) AS n FROM dead_letters d WHERE d.status = 'PENDING'" },
  { name: 'dead letters: counts', db: 'coupon', sql: 'SELECT status, COUNT(*) AS n FROM dead_letters GROUP BY status' },
  {
    name: 'dead letters: groups',
    db: 'coupon',
    sql: `SELECT g.fingerprint, g.n, g.firstAt, g.lastAt, d.id AS sampleId, d.error_code AS errorCode, d.error_message AS sampleError
            FROM (SELECT fingerprint, COUNT(*) AS n, MIN(dead_lettered_at) AS firstAt, MAX(dead_lettered_at) AS lastAt, MIN(id) AS sampleId
                    FROM dead_letters WHERE status = 'PENDING' GROUP BY fingerprint ORDER BY n DESC LIMIT 100) g
            JOIN dead_letters d ON d.id = g.sampleId ORDER BY g.n DESC, g.fingerprint`,
  },
  { name: 're-drive snapshot bound', db: 'coupon', sql: "SELECT MAX(id) AS upTo FROM dead_letters WHERE status = 'PENDING'" },
  {
    name: 're-drive candidates (group)',
    db: 'coupon',
    sql: "SELECT d.id, d.redrive_class FROM dead_letters d WHERE d.status = 'PENDING' AND d.id > 0 AND d.id <= 18446744073709551615 AND d.fingerprint = '0000000000000003' ORDER BY d.id ASC LIMIT 100",
  },
];

export interface PlanRow {
  name: string;
  ms: number;
  plan: string;
}

/** EXPLAIN (as one line per table: access type, key, rows examined, Extra) and the median time of 3 executions. */
export async function explainAll(pools: Record<'order' | 'coupon', Pool>, lastOffset: number): Promise<PlanRow[]> {
  const out: PlanRow[] = [];
  for (const q of WATCHED) {
    const sql = q.sql.replace('__LAST__', String(Math.max(0, lastOffset)));
    const pool = pools[q.db];
    const [plan] = await pool.query<RowDataPacket[]>(`EXPLAIN ${sql}`);
    const text = plan.map((r) => `${r.table}:${r.type}${r.key ? ` key=${r.key}` : ''} rows=${r.rows}${r.Extra ? ` (${r.Extra})` : ''}`).join('; ');
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const conn = await pool.getConnection();
      try {
        if (q.write) await conn.beginTransaction();
        const started = process.hrtime.bigint();
        await conn.query(sql);
        times.push(Number(process.hrtime.bigint() - started) / 1e6);
        if (q.write) await conn.rollback();
      } finally {
        conn.release();
      }
    }
    times.sort((a, b) => a - b);
    out.push({ name: q.name, ms: times[1], plan: text });
  }
  return out;
}
