import { DataSource, EntityManager } from 'typeorm';
import { grant, ids, useInboxDatabase } from '../test/inbox-database';
import { InboxBatcher } from './inbox-batcher';

/**
 * The batcher against the real MariaDB: each message's work commits once with its inbox row,
 * however the messages were grouped, duplicated or raced. (Rows declared with `insert`:
 * inbox-batcher-insert.e2e-spec.ts.)
 */
describe('InboxBatcher', () => {
  const db = useInboxDatabase();
  let dataSource: DataSource;
  let otherProcess: DataSource;
  beforeAll(() => ({ dataSource, otherProcess } = db));
  const inboxRows = (consumer: string, messageIds: string[]) => db.inboxRows(consumer, messageIds);
  const grantedMessages = (messageIds: string[]) => db.grantedMessages(messageIds);

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
