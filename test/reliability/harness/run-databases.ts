import { createConnection, createPool, Pool, RowDataPacket } from 'mysql2/promise';
import { MysqlServer } from '../../../tools/harness/test-servers';

export type RunDatabase = 'order' | 'coupon' | 'redPacket';

/**
 * SQL on a scenario's three databases: a small pool each, opened on first use. The coupon
 * database may live on a MariaDB of the scenario's own (`couponAt`), which the scenario may kill.
 */
export class RunDatabases {
  private readonly pools = new Map<RunDatabase, Pool>();

  constructor(
    private readonly server: MysqlServer,
    private readonly names: Record<RunDatabase, string>,
    private readonly couponAt: () => { host: string; port: number },
  ) {}

  async query<T extends RowDataPacket>(db: RunDatabase, sql: string, params: unknown[] = []): Promise<T[]> {
    let pool = this.pools.get(db);
    if (!pool) {
      const at = db === 'coupon' ? this.couponAt() : this.server;
      pool = createPool({ ...this.server, ...at, database: this.names[db], connectionLimit: 2, connectTimeout: 3_000 });
      this.pools.set(db, pool);
    }
    const [rows] = await pool.query<T[]>(sql, params);
    return rows;
  }

  /** The `n` of a `SELECT COUNT(*) AS n` query. */
  async count(db: RunDatabase, sql: string): Promise<number> {
    const [row] = await this.query<RowDataPacket & { n: number }>(db, sql);
    return Number(row.n);
  }

  /**
   * Runs `work` while no relay batch is in flight and none can start. A table lock on the outbox
   * waits for the relays' claim transactions (they hold their rows across the publishes) and
   * holds back new claims (and pay transactions' outbox inserts) until `work` is done.
   */
  async withRelayHeld(work: () => Promise<void>): Promise<void> {
    const connection = await createConnection({ ...this.server, database: this.names.order });
    try {
      await connection.query('LOCK TABLES outbox_messages WRITE');
      await work();
    } finally {
      await connection.query('UNLOCK TABLES').catch(() => undefined);
      await connection.end();
    }
  }

  /** Drops a pool whose connections are dead (after its database server was killed). */
  async resetPool(db: RunDatabase): Promise<void> {
    await this.pools
      .get(db)
      ?.end()
      .catch(() => undefined);
    this.pools.delete(db);
  }

  async end(): Promise<void> {
    for (const pool of this.pools.values()) await pool.end().catch(() => undefined);
    this.pools.clear();
  }
}
