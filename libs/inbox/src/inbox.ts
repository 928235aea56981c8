import { EntityManager } from 'typeorm';
import { isDuplicateKeyError } from '@reliable-payments/persistence';

/**
 * Records that `consumer` processed `messageId`, inside the caller's transaction. Returns false
 * when it already had: the caller then writes nothing and the message is acked as a duplicate.
 * The primary key does the deduplication, so it holds across processes and restarts; a second
 * delivery racing the first waits on the key's lock and then sees the duplicate.
 */
export async function recordInInbox(manager: EntityManager, consumer: string, messageId: string, now = new Date()): Promise<boolean> {
  try {
    await insertInboxRows(manager, consumer, [messageId], now);
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}

/**
 * One INSERT for any number of inbox rows (a group commit's). Ids are sorted so that two groups
 * lock keys in the same order (no deadlock between them); any duplicate fails the whole statement.
 */
export async function insertInboxRows(manager: EntityManager, consumer: string, messageIds: string[], now = new Date()): Promise<void> {
  const rows = [...messageIds].sort().map((id) => [consumer, id, now]);
  await manager.query('INSERT INTO inbox_messages (consumer, message_id, processed_at) VALUES ?', [rows]);
}
