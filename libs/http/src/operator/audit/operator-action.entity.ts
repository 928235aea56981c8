import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One operator action (not a read): who did what to which letters or group, why, and how it ended. */
@Entity({ name: 'operator_actions' })
export class OperatorAction {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'datetime', precision: 3 })
  at: Date;

  @Column({ type: 'varchar', length: 32 })
  operator: string;

  /** `redrive`, `redrive-bulk`, `edit-and-redrive`, `discard`, `discard-group`, `chaos-on`, `chaos-off`, … */
  @Column({ type: 'varchar', length: 32 })
  action: string;

  /** `dead-letter 7`, `group 3f0c9a1d2b4e5f60`, `filter {...}`, `database`. */
  @Column({ type: 'varchar', length: 255 })
  target: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  comment: string | null;

  @Column({ type: 'varchar', length: 500 })
  outcome: string;
}
