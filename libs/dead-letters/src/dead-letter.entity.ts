import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type DeadLetterStatus = 'PENDING' | 'REDRIVEN';

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
}
