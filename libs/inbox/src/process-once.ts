import { DataSource, EntityManager, EntityTarget, FindOptionsWhere, ObjectLiteral } from 'typeorm';
import { crashPoint } from '@app/config';
import { isDuplicateKeyError, runInTransaction } from '@app/persistence';
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
): Promise<T | 'duplicate'> {
  return runInTransaction(dataSource, async (manager) => {
    if (!(await recordInInbox(manager, consumer, messageId))) return 'duplicate';
    const result = await work(manager);
    crashPoint('consumer-before-commit'); // test-only: dies with the transaction open
    return result;
  });
}

const insertStatements = new Map<unknown, { sql: string; properties: string[] }>();

/** `INSERT INTO <table> (<columns>) VALUES ?` from the entity's metadata, built once per entity. */
function insertStatement(manager: EntityManager, entity: EntityTarget<ObjectLiteral>) {
  let statement = insertStatements.get(entity);
  if (!statement) {
    const metadata = manager.connection.getMetadata(entity);
    const columns = metadata.columns.filter((c) => !c.isGenerated);
    statement = {
      sql: `INSERT INTO \`${metadata.tableName}\` (${columns.map((c) => `\`${c.databaseName}\``).join(', ')}) VALUES ?`,
      properties: columns.map((c) => c.propertyName),
    };
    insertStatements.set(entity, statement);
  }
  return statement;
}

/** One plain multi-row INSERT of `rows` (all or none: a duplicate key fails the statement). */
export async function insertRows<E extends ObjectLiteral>(manager: EntityManager, entity: EntityTarget<E>, rows: E[]): Promise<void> {
  const { sql, properties } = insertStatement(manager, entity);
  await manager.query(sql, [rows.map((row) => properties.map((p) => row[p]))]);
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
