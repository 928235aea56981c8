import type { PoolConnection } from 'mysql2';
import { AfterQueryEvent, EntitySubscriberInterface } from 'typeorm';

/**
 * mysql2's query time-out fails the caller but leaves the query in its connection's command
 * queue: returned to the pool, that connection would run the next caller's statement only after
 * the hung one, and that statement's own timer starts only when it runs, so it would wait for
 * ever. A connection whose query timed out is therefore destroyed (the pool opens a new one).
 */
export class DropTimedOutConnection implements EntitySubscriberInterface {
  afterQuery(event: AfterQueryEvent): void {
    if (event.success || (event.error as { code?: unknown } | undefined)?.code !== 'PROTOCOL_SEQUENCE_TIMEOUT') return;
    const connection = (event.queryRunner as { databaseConnection?: PoolConnection } | undefined)?.databaseConnection;
    connection?.destroy();
  }
}
