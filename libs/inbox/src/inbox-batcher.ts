import { Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { crashPoint } from '@app/config';
import { classifyError } from '@app/messaging';
import { classifyMysqlError, runInTransaction } from '@app/persistence';
import { processOnce } from './process-once';

interface Pending {
  messageId: string;
  work: (manager: EntityManager) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for one consumer: the messages it is handling at the same moment (one burst of
 * deliveries, up to `batchSize`) share one transaction. Their inbox rows go in as one multi-row
 * INSERT, each message's work runs in turn on the same connection, and one COMMIT makes all of
 * them durable together: per message that is one statement instead of four (BEGIN, inbox row,
 * work, COMMIT), which is where a consumer's time went (each statement is a round trip).
 *
 * Each message still gets all-or-nothing: if anything in the batch fails (a duplicate inbox key,
 * a handler error, a deadlock after its retries), the batch rolls back and every message runs
 * again alone in its own transaction (`processOnce`), so one message's failure or duplicate never
 * decides another's. Only a dependency-down failure (the database unreachable) is passed to all
 * of them at once: running them alone would fail the same way, only slower.
 */
export class InboxBatcher {
  private readonly logger: Logger;
  private queue: Pending[] = [];
  private flushScheduled = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly consumer: string,
    private readonly batchSize: number,
  ) {
    this.logger = new Logger(`Inbox:${consumer}`);
  }

  /** Runs `work` once per messageId, in a transaction shared with the messages that arrive with it. */
  run<T>(messageId: string, work: (manager: EntityManager) => Promise<T>): Promise<T | 'duplicate'> {
    if (this.batchSize <= 1) return processOnce(this.dataSource, this.consumer, messageId, work);
    return new Promise<T | 'duplicate'>((resolve, reject) => {
      this.queue.push({ messageId, work, resolve: resolve as (value: unknown) => void, reject });
      if (this.queue.length >= this.batchSize) this.flush();
      else if (!this.flushScheduled) {
        // A burst of deliveries is handed to the consumer within one turn of the event loop:
        // everything queued by the next turn goes into one transaction.
        this.flushScheduled = true;
        setImmediate(() => {
          this.flushScheduled = false;
          this.flush();
        });
      }
    });
  }

  private flush(): void {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.batchSize);
      if (batch.length === 1) this.runAlone(batch[0]);
      else void this.runBatch(batch);
    }
  }

  private runAlone(item: Pending): void {
    processOnce(this.dataSource, this.consumer, item.messageId, item.work).then(item.resolve, item.reject);
  }

  private async runBatch(batch: Pending[]): Promise<void> {
    let results: unknown[];
    try {
      results = await runInTransaction(this.dataSource, async (manager) => {
        await insertInboxRows(manager, this.consumer, batch.map((item) => item.messageId));
        const out: unknown[] = [];
        for (const item of batch) out.push(await item.work(manager));
        crashPoint('consumer-before-commit'); // test-only: dies with the transaction open
        return out;
      });
    } catch (error) {
      const failure = classifyError(error, classifyMysqlError);
      if (failure.kind === 'transient' && failure.dependencyDown) {
        for (const item of batch) item.reject(error);
        return;
      }
      this.logger.debug(`batch of ${batch.length} rolled back (${failure.code}: ${failure.message}); each message runs alone`);
      for (const item of batch) this.runAlone(item);
      return;
    }
    batch.forEach((item, i) => item.resolve(results[i]));
  }
}

/**
 * One multi-row INSERT for the batch's inbox rows. Ids are sorted so that two batches lock keys in
 * the same order (no deadlock between them); any duplicate fails the statement, and the batch.
 */
async function insertInboxRows(manager: EntityManager, consumer: string, messageIds: string[], now = new Date()): Promise<void> {
  const rows = [...messageIds].sort().map((id) => [consumer, id, now]);
  await manager.query('INSERT INTO inbox_messages (consumer, message_id, processed_at) VALUES ?', [rows]);
}
