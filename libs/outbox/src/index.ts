export * from './create-outbox.migration';
export * from './add-outbox-traceparent.migration';
export * from './outbox.writer';
export * from './outbox.relay';
export * from './outbox.options';
export * from './outbox.module';
export * from './backoff';
