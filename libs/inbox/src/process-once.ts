import { DataSource, EntityManager, EntityTarget, FindOptionsWhere, ObjectLiteral } from 'typeorm';
import { FaultHooks, NO_FAULTS } from '@reliable-payments/faults';
import { insertRows, isDuplicateKeyError, runInTransaction } from '@reliable-payments/persistence';
import { recordInInbox } from './inbox';

/**
 * Runs `work` once per (consumer, messageId): the inbox row and whatever `work` writes commit in
 * one transaction (re-run whole on a deadlock). Returns 'duplicate' when the message was already
 * processed, so the caller acks it and changes nothing.
 */
export function processOnce<T>(
  dataSource: DataSource,
  consumer: string,
  messageId: string,
  work: (manager: EntityManager) => Promise<T>,
  faults: FaultHooks = NO_FAULTS,
): Promise<T | 'duplicate'> {
  return runInTransaction(dataSource, async (manager) => {
    if (!(await recordInInbox(manager, consumer, messageId))) return 'duplicate';
    const result = await work(manager);
    faults.at('consumer-before-commit'); // test-only (TEST_CRASH_AT): dies with the transaction open
    return result;
  });
}

/**
 * Inserts `row` unless a row matching `existing` is already there (a business unique key, e.g.
 * one grant per order). Returns false when it was: another message already did this work.
 * One plain INSERT: this runs once per message, and the query builder's work showed in profiles.
 */
export async function insertUnlessPresent<E extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<E>,
  row: E,
  existing: FindOptionsWhere<E>,
): Promise<boolean> {
  try {
    await insertRows(manager, entity, [row]);
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error) && (await manager.existsBy(entity, existing))) return false;
    throw error;
  }
}
