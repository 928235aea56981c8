import { DataSource, EntityManager, EntityTarget, FindOptionsWhere, ObjectLiteral } from 'typeorm';
import { FaultHooks, NO_FAULTS } from '@reliable-payments/faults';
import { GroupCommit, insertRows, isDatabaseUnavailable } from '@reliable-payments/persistence';
import { insertInboxRows } from './inbox';
import { insertUnlessPresent, processOnce } from './process-once';

/** What a message's work came to when it was declared as one row: inserted, or the row's business key was already taken. */
export type InsertOutcome = 'inserted' | 'exists';

type InboxItem =
  | { messageId: string; kind: 'work'; work: (manager: EntityManager) => Promise<unknown> }
  | { messageId: string; kind: 'row'; entity: EntityTarget<ObjectLiteral>; row: ObjectLiteral; existing: FindOptionsWhere<ObjectLiteral> };

/**
 * Group commit for one consumer: the messages it is handling at the same moment (one burst of
 * deliveries, up to `batchSize`) share one transaction. Their inbox rows go in as one multi-row
 * INSERT; messages whose effect is one row (`insert`) go in as one multi-row INSERT per table;
 * other work (`run`) runs in turn on the same connection; one COMMIT makes all of it durable.
 * For a grant consumer that is four statements per group instead of four per message.
 *
 * Each message still gets all-or-nothing: if anything in the group fails (a duplicate inbox key,
 * a row whose business key is taken, a handler's error, a deadlock after its retries), the group
 * rolls back and every message runs again alone (`processOnce`), so one message's failure or
 * duplicate never decides another's. Only a dependency-down failure (the database unreachable)
 * is passed to all of them at once.
 */
export class InboxBatcher {
  private readonly group: GroupCommit<InboxItem, unknown>;

  constructor(dataSource: DataSource, consumer: string, batchSize: number, faults: FaultHooks = NO_FAULTS) {
    this.group = new GroupCommit<InboxItem, unknown>(dataSource, {
      name: `inbox:${consumer}`,
      maxBatch: batchSize,
      // Deliveries are already bounded by the consumer's prefetch.
      maxInFlight: Number.POSITIVE_INFINITY,
      batch: (manager, items) => runGroup(manager, consumer, items, faults),
      single: (item) => processOnce(dataSource, consumer, item.messageId, (manager) => runItem(manager, item), faults),
      failsAll: isDatabaseUnavailable,
    });
  }

  /** Runs `work` once per messageId, in a transaction shared with the messages that arrive with it. */
  run<T>(messageId: string, work: (manager: EntityManager) => Promise<T>): Promise<T | 'duplicate'> {
    return this.group.submit({ messageId, kind: 'work', work }) as Promise<T | 'duplicate'>;
  }

  /**
   * Inserts `row` once per messageId, unless a row matching `existing` (its business key, e.g.
   * one coupon per order) is there already: 'exists'. Rows of one group share one INSERT.
   */
  insert<E extends ObjectLiteral>(messageId: string, entity: EntityTarget<E>, row: E, existing: FindOptionsWhere<E>): Promise<InsertOutcome | 'duplicate'> {
    return this.group.submit({
      messageId,
      kind: 'row',
      entity: entity as EntityTarget<ObjectLiteral>,
      row,
      existing: existing as FindOptionsWhere<ObjectLiteral>,
    }) as Promise<InsertOutcome | 'duplicate'>;
  }
}

/** One message's work, alone in its own transaction (after `processOnce` recorded it). */
async function runItem(manager: EntityManager, item: InboxItem): Promise<unknown> {
  if (item.kind === 'work') return item.work(manager);
  return (await insertUnlessPresent(manager, item.entity, item.row, item.existing)) ? 'inserted' : 'exists';
}

/** A group's statements: inbox rows, declared rows per table, then the other work in turn. */
async function runGroup(manager: EntityManager, consumer: string, items: InboxItem[], faults: FaultHooks): Promise<unknown[]> {
  await insertInboxRows(
    manager,
    consumer,
    items.map((item) => item.messageId),
  );
  const results: unknown[] = new Array(items.length);
  const rowsByEntity = new Map<EntityTarget<ObjectLiteral>, number[]>();
  items.forEach((item, i) => {
    if (item.kind !== 'row') return;
    const indices = rowsByEntity.get(item.entity);
    if (indices) indices.push(i);
    else rowsByEntity.set(item.entity, [i]);
  });
  for (const [entity, indices] of rowsByEntity) {
    await insertRows(
      manager,
      entity,
      indices.map((i) => (items[i] as Extract<InboxItem, { kind: 'row' }>).row),
    );
    for (const i of indices) results[i] = 'inserted';
  }
  for (const [i, item] of items.entries()) {
    if (item.kind === 'work') results[i] = await item.work(manager);
  }
  faults.at('consumer-before-commit'); // test-only (TEST_CRASH_AT): dies with the transaction open
  return results;
}
