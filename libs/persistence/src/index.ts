/**
 * @reliable-payments/persistence — MySQL/MariaDB through TypeORM and mysql2: the database created and migrated at
 * start (with a migration account when given), bounded waits (statement time-out, pool queue), MySQL
 * errors classified (unreachable, deadlock, lock wait, refused), whole-transaction retries of deadlocks,
 * GroupCommit (concurrent callers share one transaction; one failure never decides another's), and
 * retention deletes in short chunks (deleteInChunks, RetentionSweeper).
 */
export * from './ensure-database';
export * from './migrate-database';
export * from './mysql-errors';
export * from './transaction';
export * from './database-probe';
export * from './database.module';
export * from './group-commit';
export * from './insert-rows';
export * from './delete-in-chunks';
export * from './retention-sweeper';
