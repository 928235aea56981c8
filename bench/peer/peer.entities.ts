import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The peer's order, as the NestJS + TypeORM docs model an entity. */
@Entity('peer_orders')
export class PeerOrder {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'user_id', length: 64 })
  userId!: string;

  @Column({ type: 'decimal', precision: 12, scale: 2 })
  amount!: string;

  @Column({ length: 16 })
  status!: string;

  @CreateDateColumn({ name: 'created_at', precision: 3 })
  createdAt!: Date;
}

/** One grant (a coupon or a red packet) per order: `order_id` is unique. */
@Entity('peer_grants')
export class PeerGrant {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'order_id', length: 36, unique: true })
  orderId!: string;

  @Column({ name: 'event_id', length: 36, unique: true })
  eventId!: string;

  @Column({ type: 'decimal', precision: 12, scale: 2 })
  amount!: string;

  @CreateDateColumn({ name: 'issued_at', precision: 3 })
  issuedAt!: Date;
}

/** The tables above, created by the bench (the peer runs no migrations, and never `synchronize`). */
export const PEER_ORDER_DDL =
  'CREATE TABLE peer_orders (id VARCHAR(36) PRIMARY KEY, user_id VARCHAR(64) NOT NULL, amount DECIMAL(12,2) NOT NULL, status VARCHAR(16) NOT NULL, created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3))';
export const PEER_GRANT_DDL =
  'CREATE TABLE peer_grants (id VARCHAR(36) PRIMARY KEY, order_id VARCHAR(36) NOT NULL UNIQUE, event_id VARCHAR(36) NOT NULL UNIQUE, amount DECIMAL(12,2) NOT NULL, issued_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3))';
