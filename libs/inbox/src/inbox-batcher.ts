import { DataSource, EntityManager } from 'typeorm';
import { crashPoint } from '@app/config';
import { GroupCommit, isDatabaseUnavailable } from '@app/persistence';
import { processOnce } from './process-once';

interface InboxItem {
  messageId: string;
  work: (manager: EntityManager) => Promise<unknown>;
}

/**
 * Group commit for one consumer: the messages it is handling at the same moment (one burst of
 * deliveries, up to `batchSize`) share one transaction. Their inbox rows go in as one multi-row
 * INSERT, each message's work runs in turn on the same connection, and one COMMIT makes them
 * durable together: per message, one statement instead of four (BEGIN, inbox row, work, COMMIT).
 *
 * Each message still gets all-or-nothing: if anything in the group fails (a duplicate inbox key,
 * a handler's error, a deadlock after its retries), the group rolls back and every message runs
 * again alone (`processOnce`), so one message's failure or duplicate never decides another's.
 * Only a dependency-down failure (the database unreachable) is passed to all of them at once.
 */
export class InboxBatcher {
  private readonly group: GroupCommit<InboxItem, unknown>;

  constructor(dataSource: DataSource, consumer: string, batchSize: number) {
    this.group = new GroupCommit<InboxItem, unknown>(dataSource, {
      name: `inbox:${consumer}`,
      maxBatch: batchSize,
      // Deliveries are already bounded by the consumer's prefetch.
      maxInFlight: Number.POSITIVE_INFINITY,
      batch: async (manager, items) => {
        await insertInboxRows(manager, consumer, items.map((item) => item.messageId));
        const results: unknown[] = [];
        for (const item of items) results.push(await item.work(manager));
        crashPoint('consumer-before-commit'); // test-only: dies with the transaction open
        return results;
      },
      single: (item) => processOnce(dataSource, consumer, item.messageId, item.work),
      failsAll: isDatabaseUnavailable,
    });
  }

  /** Runs `work` once per messageId, in a transaction shared with the messages that arrive with it. */
  run<T>(messageId: string, work: (manager: EntityManager) => Promise<T>): Promise<T | 'duplicate'> {
    return this.group.submit({ messageId, work }) as Promise<T | 'duplicate'>;
  }
}

/**
 * One multi-row INSERT for the group's inbox rows. Ids are sorted so that two groups lock keys in
 * the same order (no deadlock between them); any duplicate fails the statement, and the group.
 */
async function insertInboxRows(manager: EntityManager, consumer: string, messageIds: string[], now = new Date()): Promise<void> {
  const rows = [...messageIds].sort().map((id) => [consumer, id, now]);
  await manager.query('INSERT INTO inbox_messages (consumer, message_id, processed_at) VALUES ?', [rows]);
}
