import { randomUUID } from 'node:crypto';
import { RowDataPacket } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { grant, Granted, ids, NeverCreated, useInboxDatabase } from '../test/inbox-database';
import { InboxBatcher } from './inbox-batcher';

/**
 * `InboxBatcher.insert` against the real MariaDB: a message whose effect is one row. The rows of
 * a group share one INSERT, and each message still gets its own outcome: inserted, exists
 * (business key taken), duplicate (message seen) or its error.
 */
describe('InboxBatcher insert', () => {
  const db = useInboxDatabase();
  let dataSource: DataSource;
  let otherProcess: DataSource;
  beforeAll(() => ({ dataSource, otherProcess } = db));
  const inboxRows = (consumer: string, messageIds: string[]) => db.inboxRows(consumer, messageIds);
  const grantedMessages = (messageIds: string[]) => db.grantedMessages(messageIds);

  /** The row a grant consumer derives from a message: a fresh id each delivery, the order it names (by default the message id). */
  const grantRow = (messageId: string, orderId = messageId): Granted => ({ id: randomUUID(), orderId, messageId });
  const insertGrant = (batcher: InboxBatcher, row: Granted) => batcher.insert(row.messageId, Granted, row, { orderId: row.orderId });

  async function rowsOfOrders(orderIds: string[]): Promise<Granted[]> {
    const [rows] = await db.admin.query<RowDataPacket[]>(
      'SELECT id, order_id AS orderId, message_id AS messageId FROM rows_granted WHERE order_id IN (?) ORDER BY order_id',
      [orderIds],
    );
    return rows.map(({ id, orderId, messageId }) => ({ id, orderId, messageId }) as Granted);
  }

  async function rowsOfMessages(messageIds: string[]): Promise<string[]> {
    const [rows] = await db.admin.query<RowDataPacket[]>('SELECT message_id FROM rows_granted WHERE message_id IN (?) ORDER BY message_id', [messageIds]);
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

  it.each([
    [
      'breaks a NOT NULL column',
      'ER_BAD_NULL_ERROR',
      (batcher: InboxBatcher, id: string) => insertGrant(batcher, { ...grantRow(id), orderId: undefined as unknown as string }),
    ],
    [
      'goes to a table that is missing',
      'ER_NO_SUCH_TABLE',
      (batcher: InboxBatcher, id: string) => {
        const row = { id: randomUUID() };
        return batcher.insert(id, NeverCreated, row, { id: row.id });
      },
    ],
  ])('rejects only the message whose row %s, inserts the other rows of its group, and records no inbox row for it', async (_what, code, failingInsert) => {
    const consumer = `insert-${code}`;
    const batcher = new InboxBatcher(dataSource, consumer, 16);
    const messageIds = ids(consumer, 5);
    const failing = messageIds[2];

    const outcomes = await Promise.allSettled(messageIds.map((id) => (id === failing ? failingInsert(batcher, id) : insertGrant(batcher, grantRow(id)))));

    expect(outcomes).toEqual(
      messageIds.map((id) => (id === failing ? { status: 'rejected', reason: expect.objectContaining({ code }) } : { status: 'fulfilled', value: 'inserted' })),
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
