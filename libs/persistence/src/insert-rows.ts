import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

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
