/**
 * @reliable-payments/outbox — the transactional outbox: a row written in the business transaction (no broker I/O in
 * it), a relay that claims rows (FOR UPDATE SKIP LOCKED), publishes them with confirms and marks a row
 * sent only after the broker's ack with no return. A crash anywhere re-sends; consumers dedupe.
 */
export * from './create-outbox.migration';
export * from './add-outbox-traceparent.migration';
export * from './outbox.writer';
export * from './outbox.relay';
export * from './outbox.options';
export * from './outbox.module';
export * from './backoff';
export * from './outbox.migrations';
