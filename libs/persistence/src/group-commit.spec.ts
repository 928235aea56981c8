import { DataSource, EntityManager } from 'typeorm';
import { GroupCommit, GroupCommitFullError, GroupCommitOptions } from './group-commit';

/**
 * Stands in for TypeORM's DataSource: `transaction([isolation,] work)` hands `work` one manager
 * and counts the transactions opened, so a test can tell one group transaction from many.
 */
function fakeDataSource() {
  const manager = { fake: 'manager' } as unknown as EntityManager;
  const stats = { transactions: 0 };
  const dataSource = {
    manager: { fake: 'outside any transaction' } as unknown as EntityManager,
    transaction: (...args: unknown[]) => {
      const work = args[args.length - 1] as (manager: EntityManager) => Promise<unknown>;
      stats.transactions++;
      return work(manager);
    },
  } as unknown as DataSource;
  return { dataSource, manager, stats };
}

/** `batch` answers `b<item>` and `single` answers `s<item>`, so each result shows which path produced it. */
function setUp(options: Partial<GroupCommitOptions<number, string>> = {}) {
  const fake = fakeDataSource();
  const batch = jest.fn(options.batch ?? ((_manager: EntityManager, items: number[]) => Promise.resolve(items.map((i) => `b${i}`))));
  const single = jest.fn(options.single ?? ((item: number) => Promise.resolve(`s${item}`)));
  const group = new GroupCommit<number, string>(fake.dataSource, {
    name: 'test',
    maxBatch: 10,
    maxInFlight: Number.POSITIVE_INFINITY,
    ...options,
    batch,
    single,
  });
  return { ...fake, batch, single, group };
}

/** Lets the event loop run one turn: the group's `setImmediate` flush, and whatever it starts synchronously. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

const deadlock = () => Object.assign(new Error('Deadlock'), { errno: 1213 });

describe('GroupCommit', () => {
  it('runs the items submitted in one event-loop turn as one batch in one transaction, each caller getting its own result', async () => {
    const { group, batch, single, manager, stats } = setUp();

    const results = await Promise.all([1, 2, 3].map((i) => group.submit(i)));

    expect(results).toEqual(['b1', 'b2', 'b3']);
    expect(batch).toHaveBeenCalledTimes(1);
    expect(batch).toHaveBeenCalledWith(manager, [1, 2, 3]);
    expect(single).not.toHaveBeenCalled();
    expect(stats.transactions).toBe(1);
  });

  it('with transaction false runs the batch on the plain manager, without opening a transaction', async () => {
    const { group, batch, dataSource, stats } = setUp({ transaction: false });

    const results = await Promise.all([1, 2].map((i) => group.submit(i)));

    expect(results).toEqual(['b1', 'b2']);
    expect(batch).toHaveBeenCalledWith(dataSource.manager, [1, 2]);
    expect(stats.transactions).toBe(0);
  });

  it('splits more than maxBatch items into groups of at most maxBatch, in submission order', async () => {
    const { group, batch, single, stats } = setUp({ maxBatch: 3 });

    const results = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((i) => group.submit(i)));

    expect(results).toEqual(['b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7', 'b8']);
    expect(batch.mock.calls.map(([, items]) => items)).toEqual([
      [1, 2, 3],
      [4, 5, 6],
      [7, 8],
    ]);
    expect(single).not.toHaveBeenCalled();
    expect(stats.transactions).toBe(3);
  });

  it('with maxBatch 1 runs every item alone with single and never calls batch', async () => {
    const { group, batch, single, stats } = setUp({ maxBatch: 1 });

    const results = await Promise.all([1, 2, 3].map((i) => group.submit(i)));

    expect(results).toEqual(['s1', 's2', 's3']);
    expect(single.mock.calls.map(([item]) => item)).toEqual([1, 2, 3]);
    expect(batch).not.toHaveBeenCalled();
    expect(stats.transactions).toBe(0);
  });

  it('runs a group of one with single, not batch', async () => {
    const { group, batch, single, stats } = setUp();

    await expect(group.submit(7)).resolves.toBe('s7');

    expect(single).toHaveBeenCalledTimes(1);
    expect(single).toHaveBeenCalledWith(7);
    expect(batch).not.toHaveBeenCalled();
    expect(stats.transactions).toBe(0);
  });

  it('when batch fails, runs every item alone so that only the item whose single fails is rejected', async () => {
    const rule = new Error('item 2 breaks a business rule');
    const { group, batch, single, stats } = setUp({
      batch: () => Promise.reject(new Error('duplicate key somewhere in the group')),
      single: (item) => (item === 2 ? Promise.reject(rule) : Promise.resolve(`s${item}`)),
    });

    const outcomes = await Promise.allSettled([1, 2, 3].map((i) => group.submit(i)));

    expect(outcomes).toEqual([
      { status: 'fulfilled', value: 's1' },
      { status: 'rejected', reason: rule },
      { status: 'fulfilled', value: 's3' },
    ]);
    expect(batch).toHaveBeenCalledTimes(1); // an ordinary error is not retried as a group
    expect(single.mock.calls.map(([item]) => item).sort()).toEqual([1, 2, 3]);
    expect(stats.transactions).toBe(1);
  });

  it('when batch fails with an error that failsAll recognises, rejects every caller with it and runs none alone', async () => {
    const down = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const failsAll = jest.fn((error: unknown) => error === down);
    const { group, single } = setUp({ batch: () => Promise.reject(down), failsAll });

    const outcomes = await Promise.allSettled([1, 2, 3].map((i) => group.submit(i)));

    expect(outcomes).toEqual([
      { status: 'rejected', reason: down },
      { status: 'rejected', reason: down },
      { status: 'rejected', reason: down },
    ]);
    expect(failsAll).toHaveBeenCalledWith(down);
    expect(single).not.toHaveBeenCalled();
  });

  it('with maxInFlight 1 holds the items that arrive while a group is open and sends them together as the next group', async () => {
    let commitFirst!: () => void;
    const firstOpen = new Promise<void>((resolve) => (commitFirst = resolve));
    const { group, batch, stats } = setUp({
      maxInFlight: 1,
      batch: async (_manager, items) => {
        if (items.includes(1)) await firstOpen;
        return items.map((i) => `b${i}`);
      },
    });

    const first = Promise.all([1, 2].map((i) => group.submit(i)));
    await nextTurn();
    expect(batch).toHaveBeenCalledTimes(1);

    let laterSettled = false;
    const later = Promise.all([3, 4, 5].map((i) => group.submit(i))).finally(() => (laterSettled = true));
    await nextTurn(); // their flush has run: with a free slot they would have started by now
    expect(batch).toHaveBeenCalledTimes(1);
    expect(laterSettled).toBe(false);

    commitFirst();
    expect(await first).toEqual(['b1', 'b2']);
    expect(await later).toEqual(['b3', 'b4', 'b5']);
    expect(batch.mock.calls.map(([, items]) => items)).toEqual([
      [1, 2],
      [3, 4, 5],
    ]);
    expect(stats.transactions).toBe(2);
  });

  describe('with maxQueued', () => {
    /** One group open and never committing (a hung database), up to `maxBatch` 2 items in it. */
    function hung(maxQueued: number) {
      let commit!: () => void;
      const open = new Promise<void>((resolve) => (commit = resolve));
      const setup = setUp({
        maxBatch: 2,
        maxInFlight: 1,
        maxQueued,
        batch: async (_manager, items) => {
          await open;
          return items.map((i) => `b${i}`);
        },
      });
      return { ...setup, commit };
    }

    it('rejects an item at once with GroupCommitFullError (a transient DB_QUEUE_FULL) when the queue is full', async () => {
      const { group, batch, single } = hung(3);
      const inGroup = [1, 2].map((i) => group.submit(i));
      await nextTurn(); // 1 and 2 form the open group; the queue is empty again
      const queued = [3, 4, 5].map((i) => group.submit(i));

      const refused = await group.submit(6).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(GroupCommitFullError);
      expect(refused).toMatchObject({ code: 'DB_QUEUE_FULL', kind: 'transient' });
      expect(batch).toHaveBeenCalledTimes(1);
      expect(single).not.toHaveBeenCalled();
      void Promise.allSettled([...inGroup, ...queued]);
    });

    it('counts only waiting items: the ones in an open group leave room, and the queue takes items again as it drains', async () => {
      const { group, commit } = hung(2);
      const first = [1, 2].map((i) => group.submit(i));
      await nextTurn();
      const queued = [3, 4].map((i) => group.submit(i));
      await expect(group.submit(5)).rejects.toBeInstanceOf(GroupCommitFullError);

      commit(); // the database answers: the open group commits, the queued items form the next group
      expect(await Promise.all([...first, ...queued])).toEqual(['b1', 'b2', 'b3', 'b4']);
      await expect(group.submit(6)).resolves.toBe('s6'); // a group of one runs alone
    });

    it('fails the items waiting behind a group that found the database unavailable, with it, instead of one more time-out later', async () => {
      let fail!: (error: Error) => void;
      const open = new Promise<void>((_resolve, reject) => (fail = reject));
      const down = Object.assign(new Error('Query inactivity timeout'), { code: 'PROTOCOL_SEQUENCE_TIMEOUT' });
      const { group, batch } = setUp({ maxBatch: 2, maxInFlight: 1, maxQueued: 10, failsAll: (error) => error === down, batch: () => open.then(() => []) });
      const inGroup = [1, 2].map((i) => group.submit(i));
      await nextTurn();
      const queued = [3, 4, 5].map((i) => group.submit(i));

      fail(down);
      const results = await Promise.allSettled([...inGroup, ...queued]);
      expect(results.map((r) => (r.status === 'rejected' ? r.reason : r.value))).toEqual([down, down, down, down, down]);
      expect(batch).toHaveBeenCalledTimes(1); // the queued items never reached the database
    });

    it('leaves a caller of a group of one (maxBatch 1) to the pool: nothing is queued here', async () => {
      const { group, single } = setUp({ maxBatch: 1, maxQueued: 1 });
      expect(await Promise.all([1, 2, 3].map((i) => group.submit(i)))).toEqual(['s1', 's2', 's3']);
      expect(single).toHaveBeenCalledTimes(3);
    });
  });

  it('re-runs the whole group after a deadlock and answers every caller from the retry', async () => {
    let attempts = 0;
    const { group, batch, single, stats } = setUp({
      batch: (_manager, items) => (++attempts === 1 ? Promise.reject(deadlock()) : Promise.resolve(items.map((i) => `b${i}`))),
    });

    const results = await Promise.all([1, 2, 3].map((i) => group.submit(i)));

    expect(results).toEqual(['b1', 'b2', 'b3']);
    expect(batch).toHaveBeenCalledTimes(2);
    expect(batch.mock.calls[1][1]).toEqual([1, 2, 3]);
    expect(single).not.toHaveBeenCalled();
    expect(stats.transactions).toBe(2);
  });
});
