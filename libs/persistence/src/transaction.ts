import { Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';
import { isRetryableTransactionError } from './mysql-errors';

const logger = new Logger('Transaction');

export interface TransactionOptions {
  isolation?: IsolationLevel;
  /** Extra attempts after a deadlock or lock-wait timeout. */
  retries?: number;
}

/**
 * Runs `work` in one transaction and re-runs the whole of it after a deadlock (1213) or a
 * lock-wait timeout (1205). TypeORM retries neither, and a lock-wait timeout rolls back only the
 * statement unless the transaction is rolled back: `transaction()` does roll it back on the throw,
 * so a retry never sees half of an earlier attempt.
 */
export async function runInTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const retries = options.retries ?? 3;
  for (let attempt = 0; ; attempt++) {
    try {
      return options.isolation ? await dataSource.transaction(options.isolation, work) : await dataSource.transaction(work);
    } catch (error) {
      if (attempt >= retries || !isRetryableTransactionError(error)) throw error;
      const delay = 10 * 2 ** attempt + Math.random() * 10;
      logger.warn(`transaction retry ${attempt + 1}/${retries} after ${(error as Error).message}`);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
