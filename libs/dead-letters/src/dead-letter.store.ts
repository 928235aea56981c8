import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ConsumeMessage } from 'amqplib';
import { DataSource } from 'typeorm';
import { classifyError } from '@reliable-payments/messaging';
import { classifyMysqlError, isDuplicateKeyError } from '@reliable-payments/persistence';
import { DeadLetterAlerts } from './dead-letter.alerts';
import { DeadLetter } from './dead-letter.entity';
import { DeadLetterRow, letterFromMessage, stubLetter } from './dead-letter-record';

export type StoreOutcome = 'stored' | 'stub' | 'duplicate';

/**
 * Stores messages from a dead-letter queue; the DLQ consumer acks only after this committed.
 * A letter the database refuses whole (a value it will not take, a packet too large) is stored as
 * a stub rather than retried: the same letter would fail the same way for ever. Only a database
 * that is down or busy makes `record` throw, so the consumer holds and probes.
 */
@Injectable()
export class DeadLetterStore {
  private readonly logger = new Logger(DeadLetterStore.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly alerts: DeadLetterAlerts,
  ) {}

  async record(message: ConsumeMessage, queue: string): Promise<StoreOutcome> {
    const now = new Date();
    const letter = letterFromMessage(message, queue, now);
    try {
      return await this.insert(letter, 'stored');
    } catch (error) {
      // Down, timed out, deadlocked: the database, not the letter. Hold and probe (the consumer's job).
      const failure = classifyError(error, classifyMysqlError);
      if (failure.kind === 'transient' && failure.code !== 'UNKNOWN') throw error;
      this.logger.error(`dead letter ${letter.messageId ?? '(no id)'} refused by the database (${(error as Error).message}); storing a stub`);
      return this.insert(stubLetter(message, queue, now, error), 'stub');
    }
  }

  private async insert(letter: DeadLetterRow, outcome: StoreOutcome): Promise<StoreOutcome> {
    let id: string;
    try {
      const result = await this.dataSource.manager.insert(DeadLetter, letter);
      id = String(result.identifiers[0]?.id ?? result.raw?.insertId);
    } catch (error) {
      if (isDuplicateKeyError(error)) return 'duplicate';
      throw error;
    }
    this.alerts.raise({ ...letter, id });
    return outcome;
  }
}
