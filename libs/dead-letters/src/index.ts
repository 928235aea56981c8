/**
 * @reliable-payments/dead-letters — the end of the line for one consumer: every message in its DLQ is stored (values
 * clamped; a stub when the database refuses it whole), alerted (rate-limited, retried, signed), listed
 * and re-driven by operators (guarded, snapshot-bounded, never twice), and kept until re-driven.
 */
export * from './dead-letter.entity';
export * from './create-dead-letters.migration';
export * from './dead-letter.store';
export * from './dead-letter.alerts';
export * from './dead-letters.service';
export * from './dead-letters.module';
export * from './dead-letters.options';
export * from './dead-letters.errors';
export * from './dead-letter-redriver';
export * from './dead-letter.view';
export * from './dead-letter-record';
export * from './dead-letters.retention';
export * from './index-dead-letters-redriven-at.migration';
export * from './dead-letter.handler';
export * from './classify-dead-letters.migration';
export * from './redrive-class';
export * from './failure-fingerprint';
export * from './order-id-of-payload';
export * from './dead-letter-discarder';
export * from './record-edits.migration';
export * from './edited-payload';
export * from './redrive-job.entity';
export * from './create-redrive-jobs.migration';
export * from './index-dead-letters-groups.migration';
export * from './redrive-jobs.service';
export * from './rate-pacer';
export * from './dead-letters.migrations';
