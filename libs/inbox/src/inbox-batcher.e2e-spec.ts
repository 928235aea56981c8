import { randomBytes, randomUUID } from 'node:crypto';
import { Connection, createConnection, RowDataPacket } from 'mysql2/promise';
import { Column, DataSource, Entity, EntityManager, PrimaryColumn } from 'typeorm';
import { InboxBatcher } from './inbox-batcher';

const MYSQL = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };

/** A message's effect as one row, unique per order like a coupon: what `insert` is for. */
@Entity('rows_granted')
class Granted {
  @PrimaryColumn({ type: 'char', length: 36 })
  id!: string;

  @Column({ name: 'order_id', type: 'varchar', length: 64, unique: true })
  orderId!: string;

  @Column({ name: 'message_id', type: 'varchar', length: 128 })
  messageId!: string;
}

/** Registered in the DataSource, but its table is never created: every INSERT into it fails. */
@Entity('rows_never_created')
class NeverCreated {
  @PrimaryColumn({ type: 'char', length: 36 })
  id!: string;
}

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
    new DataSource({ type: 'mysql', host: MYSQL.host, port: MYSQL.port, username: MYSQL.user, password: MYSQL.password, database, timezone: 'Z', poolSize: 8, entities: [Granted, NeverCreated] }).initialize();

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
    await admin.query('CREATE TABLE rows_granted (id CHAR(36) PRIMARY KEY, order_id VARCHAR(64) NOT NULL UNIQUE, message_id VARCHAR(128) NOT NULL)');
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

  describe('insert', () => {
    /** The row a grant consumer derives from a message: a fresh id each delivery, the order it names (by default the message id). */
    const grantRow = (messageId: string, orderId = messageId): Granted => ({ id: randomUUID(), orderId, messageId });
    const insertGrant = (batcher: InboxBatcher, row: Granted) => batcher.insert(row.messageId, Granted, row, { orderId: row.orderId });

    async function rowsOfOrders(orderIds: string[]): Promise<Granted[]> {
      const [rows] = await admin.query<RowDataPacket[]>('SELECT id, order_id AS orderId, message_id AS messageId FROM rows_granted WHERE order_id IN (?) ORDER BY order_id', [orderIds]);
      return rows.map(({ id, orderId, messageId }) => ({ id, orderId, messageId }) as Granted);
    }

    async function rowsOfMessages(messageIds: string[]): Promise<string[]> {
      const [rows] = await admin.query<RowDataPacket[]>('SELECT message_id FROM rows_granted WHERE message_id IN (?) ORDER BY message_id', [messageIds]);
      return rows.map((r) => r.message_id as string);
    }

    it('inserts a burst of 20 rows in groups of at most 16: every row and inbox row once, in two transactions', async () => {
      const consumer = 'insert-burst';
      const batcher = new InboxBatcher(dataSource, consumer, 16);
      const rows = ids('insert-burst', 20).map((id) => grantRow(id));
      const messageIds = rows.map((row) => row.messageId);
      const transactions = jest.spyOn(dataSource, 'transaction');
      try {
        const results = await Promise.all(rows.map((row) => insertGrant(batcher, row)));

        expect(results).toEqual(rows.map(() => 'inserted'));
        expect(transactions).toHaveBeenCalledTimes(2); // 16 + 4: no group fell back to one transaction per message
      } finally {
        transactions.mockRestore();
      }
      expect(await rowsOfOrders(messageIds)).toEqual(rows);
      expect(await inboxRows(consumer, messageIds)).toEqual(messageIds);
    });

    it('answers exists for a row whose order an earlier message already has, records its message as processed, inserts the fresh rows of its group and leaves the earlier row as it was', async () => {
      const consumer = 'insert-exists';
      const batcher = new InboxBatcher(dataSource, consumer, 16);
      const [earlier, late, ...fresh] = ids('insert-exists', 6);
      const original = grantRow(earlier);
      await expect(insertGrant(batcher, original)).resolves.toBe('inserted');
      const sameOrder = grantRow(late, earlier); // another message (e.g. a second payment event) for the same order

      const results = await Promise.all([fresh[0], late, ...fresh.slice(1)].map((id) => insertGrant(batcher, id === late ? sameOrder : grantRow(id))));

      expect(results).toEqual(['inserted', 'exists', 'inserted', 'inserted', 'inserted']);
      expect(await rowsOfOrders([earlier])).toEqual([original]);
      expect(await rowsOfMessages([earlier, late, ...fresh])).toEqual([earlier, ...fresh]);
      expect(await inboxRows(consumer, [earlier, late, ...fresh])).toEqual([earlier, late, ...fresh]);
      // Absorbed, not pending: its redelivery changes nothing.
      await expect(insertGrant(batcher, grantRow(late, earlier))).resolves.toBe('duplicate');
      expect(await rowsOfOrders([earlier])).toEqual([original]);
    });

    it('inserts one row when two messages of one group name the same order: one answered inserted, the other exists', async () => {
      const consumer = 'insert-same-order';
      const batcher = new InboxBatcher(dataSource, consumer, 16);
      const [first, second] = ids('insert-same-order', 2);
      const order = `order-${first}`;
      const rows = [grantRow(first, order), grantRow(second, order)];

      const results = await Promise.all(rows.map((row) => insertGrant(batcher, row)));

      expect([...results].sort()).toEqual(['exists', 'inserted']);
      expect(await rowsOfOrders([order])).toEqual([rows[results.indexOf('inserted')]]);
      expect(await inboxRows(consumer, [first, second])).toEqual([first, second]);
    });

    it('commits insert and run calls of one group in one transaction and answers each with its own outcome', async () => {
      const consumer = 'insert-and-run';
      const batcher = new InboxBatcher(dataSource, consumer, 16);
      const messageIds = ids('insert-and-run', 6);
      const rows = new Map(messageIds.map((id) => [id, grantRow(id)]));
      const viaInsert = (i: number) => i % 2 === 0;
      const transactions = jest.spyOn(dataSource, 'transaction');
      try {
        const results = await Promise.all(messageIds.map((id, i) => (viaInsert(i) ? insertGrant(batcher, rows.get(id)!) : batcher.run(id, grant(id)))));

        expect(results).toEqual(messageIds.map((id, i) => (viaInsert(i) ? 'inserted' : `granted ${id}`)));
        expect(transactions).toHaveBeenCalledTimes(1);
      } finally {
        transactions.mockRestore();
      }
      const inserted = messageIds.filter((_, i) => viaInsert(i));
      const ran = messageIds.filter((_, i) => !viaInsert(i));
      expect(await rowsOfOrders(inserted)).toEqual(inserted.map((id) => rows.get(id)));
      expect(await grantedMessages(messageIds)).toEqual(ran);
      expect(await inboxRows(consumer, messageIds)).toEqual(messageIds);
    });

    it('answers each caller of a mixed group that rolled back with its own outcome: inserted, exists, the work result or its error', async () => {
      const consumer = 'insert-and-run-mixed';
      const batcher = new InboxBatcher(dataSource, consumer, 16);
      const [taken, inserts, late, runs, fails] = ['taken', 'insert', 'late', 'run', 'fails'].map((name) => `insert-and-run-mixed-${name}`);
      await expect(insertGrant(batcher, grantRow(taken))).resolves.toBe('inserted');
      const rule = new Error('business rule');

      const outcomes = await Promise.allSettled([
        insertGrant(batcher, grantRow(inserts)),
        insertGrant(batcher, grantRow(late, taken)),
        batcher.run(runs, grant(runs)),
        batcher.run(fails, () => Promise.reject(rule)),
      ]);

      expect(outcomes).toEqual([
        { status: 'fulfilled', value: 'inserted' },
        { status: 'fulfilled', value: 'exists' },
        { status: 'fulfilled', value: `granted ${runs}` },
        { status: 'rejected', reason: rule },
      ]);
      expect(await rowsOfMessages([taken, inserts, late])).toEqual([inserts, taken]);
      expect(await grantedMessages([runs, fails])).toEqual([runs]);
      expect(await inboxRows(consumer, [taken, inserts, late, runs, fails])).toEqual([inserts, late, runs, taken].sort());
    });

    it('answers duplicate to a redelivered message, alone or in a group, and inserts nothing for it', async () => {
      const consumer = 'insert-redelivered';
      const batcher = new InboxBatcher(dataSource, consumer, 16);
      const [old, ...fresh] = ids('insert-redelivered', 4);
      const original = grantRow(old);
      await expect(insertGrant(batcher, original)).resolves.toBe('inserted');

      // A redelivery derives its row again: a new id for the same order.
      await expect(insertGrant(batcher, grantRow(old))).resolves.toBe('duplicate');
      const results = await Promise.all([old, ...fresh].map((id) => insertGrant(batcher, grantRow(id))));

      expect(results).toEqual(['duplicate', ...fresh.map(() => 'inserted')]);
      expect(await rowsOfOrders([old])).toEqual([original]);
      expect(await rowsOfMessages([old, ...fresh])).toEqual([old, ...fresh]);
      expect(await inboxRows(consumer, [old, ...fresh])).toEqual([old, ...fresh]);
    });

    it('with batchSize 1 inserts the row once and answers duplicate to its redelivery', async () => {
      const consumer = 'insert-ungrouped';
      const batcher = new InboxBatcher(dataSource, consumer, 1);
      const [id] = ids('insert-ungrouped', 1);
      const original = grantRow(id);

      await expect(insertGrant(batcher, original)).resolves.toBe('inserted');
      await expect(insertGrant(batcher, grantRow(id))).resolves.toBe('duplicate');

      expect(await rowsOfOrders([id])).toEqual([original]);
      expect(await inboxRows(consumer, [id])).toEqual([id]);
    });

    it('rejects only the message whose row breaks a NOT NULL column, inserts the other rows of its group, and records no inbox row for it', async () => {
      const consumer = 'insert-not-null';
      const batcher = new InboxBatcher(dataSource, consumer, 16);
      const messageIds = ids('insert-not-null', 5);
      const failing = messageIds[2];
      const row = (id: string) => (id === failing ? { ...grantRow(id), orderId: undefined as unknown as string } : grantRow(id));

      const outcomes = await Promise.allSettled(messageIds.map((id) => insertGrant(batcher, row(id))));

      expect(outcomes).toEqual(
        messageIds.map((id) => (id === failing ? { status: 'rejected', reason: expect.objectContaining({ code: 'ER_BAD_NULL_ERROR' }) } : { status: 'fulfilled', value: 'inserted' })),
      );
      const committed = messageIds.filter((id) => id !== failing);
      expect(await rowsOfMessages(messageIds)).toEqual(committed);
      expect(await inboxRows(consumer, messageIds)).toEqual(committed);
    });

    it("rejects only the message whose row's table is missing, inserts the other rows of its group, and records no inbox row for it", async () => {
      const consumer = 'insert-no-table';
      const batcher = new InboxBatcher(dataSource, consumer, 16);
      const messageIds = ids('insert-no-table', 5);
      const failing = messageIds[3];
      const insert = (id: string) => {
        if (id !== failing) return insertGrant(batcher, grantRow(id));
        const row = { id: randomUUID() };
        return batcher.insert(id, NeverCreated, row, { id: row.id });
      };

      const outcomes = await Promise.allSettled(messageIds.map(insert));

      expect(outcomes).toEqual(
        messageIds.map((id) => (id === failing ? { status: 'rejected', reason: expect.objectContaining({ code: 'ER_NO_SUCH_TABLE' }) } : { status: 'fulfilled', value: 'inserted' })),
      );
      const committed = messageIds.filter((id) => id !== failing);
      expect(await rowsOfMessages(messageIds)).toEqual(committed);
      expect(await inboxRows(consumer, messageIds)).toEqual(committed);
    });

    it('lets two consumer processes racing on the same 30 messages insert each row exactly once, and answers every call', async () => {
      const consumer = 'insert-two-processes';
      const first = new InboxBatcher(dataSource, consumer, 8);
      const second = new InboxBatcher(otherProcess, consumer, 8);
      const messageIds = ids('insert-race', 30);

      // Each process derives its own row (own id) and sees the messages in the opposite order.
      const [fromFirst, fromSecond] = await Promise.all([
        Promise.all(messageIds.map((id) => insertGrant(first, grantRow(id)))),
        Promise.all(
          [...messageIds]
            .reverse()
            .map((id) => insertGrant(second, grantRow(id)))
            .reverse(),
        ),
      ]);

      messageIds.forEach((_, i) => {
        expect([fromFirst[i], fromSecond[i]].sort()).toEqual(['duplicate', 'inserted']);
      });
      expect(await rowsOfMessages(messageIds)).toEqual(messageIds);
      expect(await inboxRows(consumer, messageIds)).toEqual(messageIds);
    });

    it('lets two processes racing with different messages for the same 20 orders insert one row per order: each order answered inserted once and exists once', async () => {
      const consumer = 'insert-order-race';
      const first = new InboxBatcher(dataSource, consumer, 8);
      const second = new InboxBatcher(otherProcess, consumer, 8);
      const orders = ids('insert-order-race', 20);
      const firstRows = orders.map((order) => grantRow(`a-${order}`, order));
      const secondRows = orders.map((order) => grantRow(`b-${order}`, order));

      const [fromFirst, fromSecond] = await Promise.all([
        Promise.all(firstRows.map((row) => insertGrant(first, row))),
        Promise.all(
          [...secondRows]
            .reverse()
            .map((row) => insertGrant(second, row))
            .reverse(),
        ),
      ]);

      const stored = await rowsOfOrders(orders);
      expect(stored).toHaveLength(orders.length);
      orders.forEach((_, i) => {
        expect([fromFirst[i], fromSecond[i]].sort()).toEqual(['exists', 'inserted']);
        expect(stored[i]).toEqual(fromFirst[i] === 'inserted' ? firstRows[i] : secondRows[i]);
      });
      const allMessages = [...firstRows, ...secondRows].map((row) => row.messageId);
      expect(await inboxRows(consumer, allMessages)).toEqual([...allMessages].sort());
    });
  });
});
