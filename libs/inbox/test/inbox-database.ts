import { randomBytes } from 'node:crypto';
import { Connection, createConnection, RowDataPacket } from 'mysql2/promise';
import { Column, DataSource, Entity, EntityManager, PrimaryColumn } from 'typeorm';
import { CreateInbox1763700000100 } from '../src/create-inbox.migration';

// The test server (TEST_MYSQL_URL, as tools/harness/test-servers.ts reads it; the matrix points it at MariaDB 11.8).
const SERVER = new URL(process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306');
const MYSQL = {
  host: SERVER.hostname,
  port: Number(SERVER.port || 3306),
  user: decodeURIComponent(SERVER.username || 'root'),
  password: decodeURIComponent(SERVER.password),
};

/** A message's effect as one row, unique per order like a coupon: what `insert` is for. */
@Entity('rows_granted')
export class Granted {
  @PrimaryColumn({ type: 'char', length: 36 })
  id!: string;

  @Column({ name: 'order_id', type: 'varchar', length: 64, unique: true })
  orderId!: string;

  @Column({ name: 'message_id', type: 'varchar', length: 128 })
  messageId!: string;
}

/** Registered in the DataSource, but its table is never created: every INSERT into it fails. */
@Entity('rows_never_created')
export class NeverCreated {
  @PrimaryColumn({ type: 'char', length: 36 })
  id!: string;
}

export interface InboxDatabase {
  admin: Connection;
  dataSource: DataSource;
  /** A second pool on the same database: another consumer process. */
  otherProcess: DataSource;
  /** The ids of `consumer`'s inbox rows among `messageIds`, sorted. */
  inboxRows(consumer: string, messageIds: string[]): Promise<string[]>;
  /** The messages among `messageIds` that have a row in `grants`, sorted. */
  grantedMessages(messageIds: string[]): Promise<string[]>;
}

/**
 * A database of its own for one spec file (created in beforeAll, dropped in afterAll): the inbox
 * table as the services' migration creates it, a `grants` table for work functions and
 * `rows_granted` for declared rows. Read its fields inside tests or hooks, not at definition time.
 */
export function useInboxDatabase(): InboxDatabase {
  const database = `ib_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const openDataSource = () =>
    new DataSource({
      type: 'mysql',
      host: MYSQL.host,
      port: MYSQL.port,
      username: MYSQL.user,
      password: MYSQL.password,
      database,
      timezone: 'Z',
      poolSize: 8,
      entities: [Granted, NeverCreated],
    }).initialize();
  const db = {
    async inboxRows(consumer: string, messageIds: string[]): Promise<string[]> {
      const [rows] = await db.admin.query<RowDataPacket[]>(
        'SELECT message_id FROM inbox_messages WHERE consumer = ? AND message_id IN (?) ORDER BY message_id',
        [consumer, messageIds],
      );
      return rows.map((r) => r.message_id as string);
    },
    async grantedMessages(messageIds: string[]): Promise<string[]> {
      const [rows] = await db.admin.query<RowDataPacket[]>('SELECT message_id FROM grants WHERE message_id IN (?) ORDER BY message_id', [messageIds]);
      return rows.map((r) => r.message_id as string);
    },
  } as InboxDatabase;

  beforeAll(async () => {
    db.admin = await createConnection(MYSQL);
    await db.admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
    await db.admin.query(`USE \`${database}\``);
    await db.admin.query('CREATE TABLE grants (id INT AUTO_INCREMENT PRIMARY KEY, order_id VARCHAR(64) NOT NULL UNIQUE, message_id VARCHAR(128) NOT NULL)');
    await db.admin.query('CREATE TABLE rows_granted (id CHAR(36) PRIMARY KEY, order_id VARCHAR(64) NOT NULL UNIQUE, message_id VARCHAR(128) NOT NULL)');
    db.dataSource = await openDataSource();
    db.otherProcess = await openDataSource();
    const queryRunner = db.dataSource.createQueryRunner();
    await new CreateInbox1763700000100().up(queryRunner);
    await queryRunner.release();
  });

  afterAll(async () => {
    await db.dataSource?.destroy();
    await db.otherProcess?.destroy();
    await db.admin?.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await db.admin?.end();
  });

  return db;
}

/** `n` message ids: `<prefix>-00`, `<prefix>-01`, ... */
export const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(2, '0')}`);

/** The work of one message: one grant for the order it names (the order id is the message id). */
export const grant = (messageId: string) => async (manager: EntityManager) => {
  await manager.query('INSERT INTO grants (order_id, message_id) VALUES (?, ?)', [messageId, messageId]);
  return `granted ${messageId}`;
};
