import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One event waiting for (or past) its publish. Written in the business transaction, never alone. */
@Entity({ name: 'outbox_messages' })
@Index('ix_outbox_pending', ['sentAt', 'nextAttemptAt'])
export class OutboxMessage {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'message_id', type: 'varchar', length: 64, unique: true })
  messageId: string;

  /** Exchange before the name prefix; the relay applies the prefix it runs with. */
  @Column({ type: 'varchar', length: 128 })
  exchange: string;

  @Column({ name: 'routing_key', type: 'varchar', length: 128 })
  routingKey: string;

  @Column({ name: 'message_type', type: 'varchar', length: 128 })
  messageType: string;

  /** The exact JSON body to publish. */
  @Column({ type: 'longtext' })
  payload: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'sent_at', type: 'datetime', precision: 3, nullable: true })
  sentAt: Date | null;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'datetime', precision: 3 })
  nextAttemptAt: Date;

  @Column({ name: 'last_error', type: 'varchar', length: 512, nullable: true })
  lastError: string | null;
}
