import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'coupons' })
export class Coupon {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  /** Unique: one coupon per order, whatever happens upstream. */
  @Column({ name: 'order_id', type: 'char', length: 36, unique: true })
  orderId: string;

  @Column({ name: 'user_id', type: 'varchar', length: 64 })
  userId: string;

  @Column({ type: 'varchar', length: 32, unique: true })
  code: string;

  @Column({ type: 'decimal', precision: 12, scale: 2 })
  value: string;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ name: 'issued_at', type: 'datetime', precision: 3 })
  issuedAt: Date;

  @Column({ name: 'event_id', type: 'char', length: 36, unique: true })
  eventId: string;

  /** The message's last failures before this grant (`attempt-history` header, bounded), for the order's timeline. */
  @Column({ name: 'attempt_history', type: 'varchar', length: 400, nullable: true })
  attemptHistory: string | null;
}
