import { ConfigurableModuleBuilder, Inject, Injectable, Module, Optional } from '@nestjs/common';
import { FAULT_HOOKS, FaultHooks, NO_FAULTS } from '@reliable-payments/faults';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, EntityTarget, FindOptionsWhere, ObjectLiteral } from 'typeorm';
import { InboxBatcher, InsertOutcome } from './inbox-batcher';
import { INBOX_OPTIONS, InboxOptions } from './inbox.options';
import { InboxRetention } from './inbox.retention';

/** Exactly-once processing per (consumer, messageId), with the consumer's messages group-committed. */
@Injectable()
export class Inbox {
  private readonly batchers = new Map<string, InboxBatcher>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(INBOX_OPTIONS) private readonly options: InboxOptions,
    @Optional() @Inject(FAULT_HOOKS) private readonly faults: FaultHooks = NO_FAULTS,
  ) {}

  /**
   * Runs `work` once per (consumer, messageId): the inbox row and whatever `work` writes commit
   * together, or not at all. Returns 'duplicate' when the message was already processed.
   */
  processOnce<T>(consumer: string, messageId: string, work: (manager: EntityManager) => Promise<T>): Promise<T | 'duplicate'> {
    return this.batcher(consumer).run(messageId, work);
  }

  /**
   * For a message whose whole effect is one new row: inserts it once per (consumer, messageId),
   * unless a row matching `existing` (its business key) is there already ('exists'). The rows of
   * messages handled together go in as one multi-row INSERT.
   */
  insertOnce<E extends ObjectLiteral>(
    consumer: string,
    messageId: string,
    entity: EntityTarget<E>,
    row: E,
    existing: FindOptionsWhere<E>,
  ): Promise<InsertOutcome | 'duplicate'> {
    return this.batcher(consumer).insert(messageId, entity, row, existing);
  }

  private batcher(consumer: string): InboxBatcher {
    let batcher = this.batchers.get(consumer);
    if (!batcher) {
      batcher = new InboxBatcher(this.dataSource, consumer, this.options.batchSize, this.faults);
      this.batchers.set(consumer, batcher);
    }
    return batcher;
  }
}

/** `forRoot(options)` / `forRootAsync({ imports, inject, useFactory })`, global unless `isGlobal: false`. */
export const {
  ConfigurableModuleClass: InboxModuleBase,
  OPTIONS_TYPE: INBOX_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: INBOX_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<InboxOptions>({ optionsInjectionToken: INBOX_OPTIONS })
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

/** `Inbox` for handlers, and the retention sweep of processed ids. */
@Module({ providers: [Inbox, InboxRetention], exports: [Inbox] })
export class InboxModule extends InboxModuleBase {}
