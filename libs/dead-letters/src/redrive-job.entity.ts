import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type RedriveJobStatus = 'running' | 'done' | 'cancelled' | 'failed';

/**
 * A paced bulk re-drive, kept in the database so that it carries on after a restart: its filter,
 * its snapshot bound, its cursor (the last letter handled) and its counts, updated letter by letter.
 */
@Entity({ name: 'redrive_jobs' })
export class RedriveJob {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'varchar', length: 16 })
  status: RedriveJobStatus;

  @Column({ name: 'rate_per_second', type: 'int' })
  ratePerSecond: number;

  /** The bulk filter (`{reason?, fingerprint?, includePoison?, limit?}`) as JSON. */
  @Column({ type: 'varchar', length: 512 })
  filter: string;

  @Column({ name: 'up_to', type: 'bigint' })
  upTo: string;

  @Column({ name: 'after_id', type: 'bigint' })
  afterId: string;

  @Column({ type: 'int' })
  total: number;

  @Column({ type: 'int' })
  redriven: number;

  @Column({ type: 'int' })
  skipped: number;

  @Column({ type: 'int' })
  failed: number;

  @Column({ type: 'varchar', length: 32 })
  operator: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}
