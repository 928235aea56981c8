import { DynamicModule, Inject, Injectable, Module } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { InboxBatcher } from './inbox-batcher';

export const INBOX_OPTIONS = Symbol('INBOX_OPTIONS');

export interface InboxOptions {
  /** Most messages of one consumer committed in one transaction; 1 gives each message its own. */
  batchSize: number;
}

/** Exactly-once processing per (consumer, messageId), with the consumer's messages group-committed. */
@Injectable()
export class Inbox {
  private readonly batchers = new Map<string, InboxBatcher>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(INBOX_OPTIONS) private readonly options: InboxOptions,
  ) {}

  /**
   * Runs `work` once per (consumer, messageId): the inbox row and whatever `work` writes commit
   * together, or not at all. Returns 'duplicate' when the message was already processed.
   */
  processOnce<T>(consumer: string, messageId: string, work: (manager: EntityManager) => Promise<T>): Promise<T | 'duplicate'> {
    let batcher = this.batchers.get(consumer);
    if (!batcher) {
      batcher = new InboxBatcher(this.dataSource, consumer, this.options.batchSize);
      this.batchers.set(consumer, batcher);
    }
    return batcher.run(messageId, work);
  }
}

@Module({})
export class InboxModule {
  static register(options: InboxOptions): DynamicModule {
    return {
      module: InboxModule,
      global: true,
      providers: [{ provide: INBOX_OPTIONS, useValue: options }, Inbox],
      exports: [Inbox],
    };
  }
}
