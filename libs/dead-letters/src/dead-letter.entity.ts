import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

import type { RedriveClass } from './redrive-class';

/** PENDING until an operator (or the automatic re-drive) sends it again (REDRIVEN) or gives it up (DISCARDED). */
export type DeadLetterStatus = 'PENDING' | 'REDRIVEN' | 'DISCARDED';

/** A message that reached the dead-letter queue, kept (never dropped) until an operator re-drives it. */
@Entity({ name: 'dead_letters' })
export class DeadLetter {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  /** Identifies this dead-lettering (not the message): a redelivery of the same DLQ message is stored once. */
  @Column({ name: 'dead_letter_key', type: 'char', length: 64, unique: true })
  deadLetterKey: string;

  @Column({ name: 'message_id', type: 'varchar', length: 128, nullable: true })
  messageId: string | null;

  @Column({ name: 'original_queue', type: 'varchar', length: 255 })
  originalQueue: string;

  @Column({ type: 'longblob' })
  payload: Buffer;

  @Column({ type: 'longtext' })
  properties: string;

  @Column({ type: 'longtext' })
  headers: string;

  @Column({ type: 'varchar', length: 32 })
  reason: string;

  @Column({ name: 'error_code', type: 'varchar', length: 64 })
  errorCode: string;

  @Column({ name: 'error_class', type: 'varchar', length: 16 })
  errorClass: string;

  @Column({ name: 'error_message', type: 'varchar', length: 512 })
  errorMessage: string;

  @Column({ type: 'int' })
  attempts: number;

  @Column({ name: 'first_failed_at', type: 'datetime', precision: 3, nullable: true })
  firstFailedAt: Date | null;

  @Column({ name: 'last_failed_at', type: 'datetime', precision: 3, nullable: true })
  lastFailedAt: Date | null;

  @Column({ name: 'dead_lettered_at', type: 'datetime', precision: 3 })
  deadLetteredAt: Date;

  @Column({ type: 'varchar', length: 16 })
  status: DeadLetterStatus;

  @Column({ name: 'redriven_at', type: 'datetime', precision: 3, nullable: true })
  redrivenAt: Date | null;

  /** Decided when stored, from an allow-list (`redrive-class.ts`): only `exhausted` letters go in a plain bulk re-drive. */
  @Column({ name: 'redrive_class', type: 'varchar', length: 16 })
  redriveClass: RedriveClass;

  /** The failure group (`failure-fingerprint.ts`). */
  @Column({ type: 'char', length: 16 })
  fingerprint: string;

  /** The order the payload names, read once when stored; null for poison without one. */
  @Column({ name: 'order_id', type: 'varchar', length: 36, nullable: true })
  orderId: string | null;

  @Column({ name: 'discarded_at', type: 'datetime', precision: 3, nullable: true })
  discardedAt: Date | null;

  /** The operator's comment on a discard. */
  @Column({ name: 'operator_comment', type: 'varchar', length: 500, nullable: true })
  operatorComment: string | null;

  /** The payload an operator sent instead (edit and re-drive); `payload` stays the original. */
  @Column({ name: 'edited_payload', type: 'longblob', nullable: true, select: false })
  editedPayload?: Buffer | null;
}
