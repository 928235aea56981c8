import { randomBytes } from 'node:crypto';
import { Connection, createConnection, RowDataPacket } from 'mysql2/promise';
import { DataSource, EntityManager } from 'typeorm';
import { InboxBatcher } from './inbox-batcher';

const MYSQL = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };

/**
 * The batcher against the real MariaDB: each message's work commits once with its inbox row,
 * however the messages were grouped, duplicated or raced.
 */
describe('InboxBatcher', () => {
  const database = `ib_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  let admin: Connection;
  let dataSource: DataSource;
  /** A second pool on the same database: another consumer process. */
  let otherProcess: DataSource;

  const openDataSource = () =>
    new DataSource({ type: 'mysql', host: MYSQL.host, port: MYSQL.port, username: MYSQL.user, password: MYSQL.password, database, timezone: 'Z', poolSize: 8 }).initialize();

  beforeAll(async () => {
    admin = await createConnection(MYSQL);
    await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
    await admin.query(`USE \`${database}\``);
    // As CreateInbox1763700000100 creates it.
    await admin.query(`
      CREATE TABLE inbox_messages (
        consumer VARCHAR(128) NOT NULL,
        message_id VARCHAR(128) NOT NULL,
        processed_at DATETIME(3) NOT NULL,
        PRIMARY KEY (consumer, message_id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
    await admin.query('CREATE TABLE grants (id INT AUTO_INCREMENT PRIMARY KEY, order_id VARCHAR(64) NOT NULL UNIQUE, message_id VARCHAR(128) NOT NULL)');
    dataSource = await openDataSource();
    otherProcess = await openDataSource();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await otherProcess?.destroy();
    await admin?.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await admin?.end();
  });

  /** The work of one message: one grant for the order it names (the order id is the message id). */
  const grant = (messageId: string) => async (manager: EntityManager) => {
    await manager.query('INSERT INTO grants (order_id, message_id) VALUES (?, ?)', [messageId, messageId]);
    return `granted ${messageId}`;
  };

  const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(2, '0')}`);

  async function inboxRows(consumer: string, messageIds: string[]): Promise<string[]> {
    const [rows] = await admin.query<RowDataPacket[]>('SELECT message_id FROM inbox_messages WHERE consumer = ? AND message_id IN (?) ORDER BY message_id', [consumer, messageIds]);
    return rows.map((r) => r.message_id as string);
  }

  async function grantedMessages(messageIds: string[]): Promise<string[]> {
    const [rows] = await admin.query<RowDataPacket[]>('SELECT message_id FROM grants WHERE message_id IN (?) ORDER BY message_id', [messageIds]);
    return rows.map((r) => r.message_id as string);
  }

  it('commits a burst of 20 messages in groups of at most 16: every message once, in two transactions', async () => {
    const consumer = 'burst';
    const batcher = new InboxBatcher(dataSource, consumer, 16);
    const messageIds = ids('burst', 20);
    const work = jest.fn(grant);
    const transactions = jest.spyOn(dataSource, 'transaction');
    try {
      const results = await Promise.all(messageIds.map((id) => batcher.run(id, work(id))));

      expect(results).toEqual(messageIds.map((id) => `granted ${id}`));
      expect(transactions).toHaveBeenCalledTimes(2); // 16 + 4: no group fell back to one transaction per message
    } finally {
      transactions.mockRestore();
    }
    expect(work).toHaveBeenCalledTimes(20);
    expect(await inboxRows(consumer, messageIds)).toEqual(messageIds);
    expect(await grantedMessages(messageIds)).toEqual(messageIds);
  });

  it('answers duplicate for a message processed earlier and still processes the fresh messages of its group once each', async () => {
    const consumer = 'redelivered';
    const batcher = new InboxBatcher(dataSource, consumer, 16);
    const [old, ...fresh] = ids('redelivered', 6);
    await expect(batcher.run(old, grant(old))).resolves.toBe(`granted ${old}`);

    const results = await Promise.all([old, ...fresh].map((id) => batcher.run(id, grant(id))));

    expect(results).toEqual(['duplicate', ...fresh.map((id) => `granted ${id}`)]);
    expect(await inboxRows(consumer, [old, ...fresh])).toEqual([old, ...fresh]);
    expect(await grantedMessages([old, ...fresh])).toEqual([old, ...fresh]);
  });

  it('processes a message delivered twice within one group once: one caller gets the result, the other duplicate', async () => {
    const consumer = 'twice-in-group';
    const batcher = new InboxBatcher(dataSource, consumer, 16);
    const [twice, ...others] = ids('twice', 4);

    const results = await Promise.all([twice, ...others, twice].map((id) => batcher.run(id, grant(id))));

    expect(results.slice(1, 4)).toEqual(others.map((id) => `granted ${id}`));
    expect([results[0], results[4]].sort()).toEqual(['duplicate', `granted ${twice}`]);
    expect(await inboxRows(consumer, [twice, ...others])).toEqual([twice, ...others]);
    expect(await grantedMessages([twice, ...others])).toEqual([twice, ...others]);
  });

  it("rejects only the message whose work throws, commits the other 9 of its group, and keeps none of the failed message's writes", async () => {
    const consumer = 'one-fails';
    const batcher = new InboxBatcher(dataSource, consumer, 16);
    const messageIds = ids('one-fails', 10);
    const failing = messageIds[4];
    const rule = new Error('business rule');
    // Writes its grant first, then fails: a half-committed message would leave that grant behind.
    const work = (id: string) => (id === failing ? (manager: EntityManager) => grant(id)(manager).then(() => Promise.reject(rule)) : grant(id));

    const outcomes = await Promise.allSettled(messageIds.map((id) => batcher.run(id, work(id))));

    expect(outcomes).toEqual(messageIds.map((id) => (id === failing ? { status: 'rejected', reason: rule } : { status: 'fulfilled', value: `granted ${id}` })));
    const committed = messageIds.filter((id) => id !== failing);
    expect(await inboxRows(consumer, messageIds)).toEqual(committed);
    expect(await grantedMessages(messageIds)).toEqual(committed);
  });

  it('lets two consumer processes racing on the same 30 messages process each exactly once, and answers every call', async () => {
    const consumer = 'two-processes';
    const first = new InboxBatcher(dataSource, consumer, 8);
    const second = new InboxBatcher(otherProcess, consumer, 8);
    const messageIds = ids('race', 30);

    // The second process sees the messages in the opposite order, so its groups overlap the first's unevenly.
    const [fromFirst, fromSecond] = await Promise.all([
      Promise.all(messageIds.map((id) => first.run(id, grant(id)))),
      Promise.all(
        [...messageIds]
          .reverse()
          .map((id) => second.run(id, grant(id)))
          .reverse(),
      ),
    ]);

    messageIds.forEach((id, i) => {
      expect([fromFirst[i], fromSecond[i]].sort()).toEqual(['duplicate', `granted ${id}`]);
    });
    expect(await inboxRows(consumer, messageIds)).toEqual(messageIds);
    expect(await grantedMessages(messageIds)).toEqual(messageIds);
  });

  it('with batchSize 1 processes a message once and answers duplicate to its redelivery', async () => {
    const consumer = 'ungrouped';
    const batcher = new InboxBatcher(dataSource, consumer, 1);
    const [id] = ids('ungrouped', 1);

    await expect(batcher.run(id, grant(id))).resolves.toBe(`granted ${id}`);
    await expect(batcher.run(id, grant(id))).resolves.toBe('duplicate');

    expect(await inboxRows(consumer, [id])).toEqual([id]);
    expect(await grantedMessages([id])).toEqual([id]);
  });
});
