/**
 * @reliable-payments/inbox — exactly-once effect per (consumer, message id): the inbox row and the handler's writes
 * commit in one transaction (the consumer acks only after it), group-committed across the messages a
 * consumer handles at once; rows kept for INBOX_RETENTION.
 */
export * from './create-inbox.migration';
export * from './inbox';
export * from './process-once';
export * from './inbox-batcher';
export * from './inbox.module';
export * from './inbox.retention';
export * from './index-inbox-processed-at.migration';
export * from './inbox.options';
export * from './rename-inbox-consumer';
export * from './inbox.migrations';
