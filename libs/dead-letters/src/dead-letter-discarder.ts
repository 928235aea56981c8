import { Injectable, Logger, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OperatorActions } from '@reliable-payments/http';
import { runInTransaction } from '@reliable-payments/persistence';
import { DeadLetter } from './dead-letter.entity';
import { DeadLetterNotFoundError, DeadLetterNotPendingError } from './dead-letters.errors';
import { DeadLetterView, summaryOf, toView } from './dead-letter.view';
import { MAX_BULK_LIMIT } from './dead-letter-redriver';

export interface BulkDiscardResult {
  discarded: number;
  skipped: number;
}

/**
 * Gives letters up on an operator's word: status DISCARDED, with when and why. A discarded letter
 * is closed (never re-driven, never deleted by retention as if it had been delivered) and the
 * ledger counts its order as `discarded`, not lost: someone decided, and said why.
 */
@Injectable()
export class DeadLetterDiscarder {
  private readonly logger = new Logger(DeadLetterDiscarder.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Optional() private readonly actions?: OperatorActions,
  ) {}

  /** Discards one pending letter; 404 when absent, 409 when already re-driven or discarded. */
  async discard(id: string, comment: string, operator: string): Promise<DeadLetterView> {
    const view = await runInTransaction(this.dataSource, async (manager) => {
      const letter = await manager.createQueryBuilder(DeadLetter, 'd').setLock('pessimistic_write').where('d.id = :id', { id }).getOne();
      if (!letter) throw new DeadLetterNotFoundError(id);
      if (letter.status !== 'PENDING') throw new DeadLetterNotPendingError(id, letter.status);
      const discardedAt = new Date();
      await manager.update(DeadLetter, { id }, { status: 'DISCARDED', discardedAt, operatorComment: comment });
      await this.actions?.record(manager, { operator, action: 'discard', target: `dead-letter ${id}`, comment, outcome: 'discarded' });
      return toView(summaryOf({ ...letter, status: 'DISCARDED', discardedAt, operatorComment: comment }));
    });
    this.logger.log(`dead letter ${view.id} (message ${view.messageId}) discarded`);
    return view;
  }

  /**
   * Discards the pending letters of one failure group (at most 1,000 a call). Rows a concurrent
   * re-drive holds are skipped (SKIP LOCKED), not waited for: that call decides them.
   */
  async discardGroup(fingerprint: string, comment: string, operator: string): Promise<BulkDiscardResult> {
    const result = await runInTransaction(this.dataSource, async (manager) => {
      const [{ n }] = (await manager.query("SELECT COUNT(*) AS n FROM dead_letters WHERE status = 'PENDING' AND fingerprint = ?", [fingerprint])) as Array<{
        n: string | number;
      }>;
      const rows = (await manager.query("SELECT id FROM dead_letters WHERE status = 'PENDING' AND fingerprint = ? ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED", [
        fingerprint,
        MAX_BULK_LIMIT,
      ])) as Array<{ id: string | number }>;
      if (rows.length > 0) {
        await manager.query("UPDATE dead_letters SET status = 'DISCARDED', discarded_at = ?, operator_comment = ? WHERE id IN (?)", [
          new Date(),
          comment,
          rows.map((r) => String(r.id)),
        ]);
      }
      const counts = { discarded: rows.length, skipped: Math.max(0, Number(n) - rows.length) };
      await this.actions?.record(manager, { operator, action: 'discard-group', target: `group ${fingerprint}`, comment, outcome: JSON.stringify(counts) });
      return counts;
    });
    this.logger.log(`dead-letter group ${fingerprint}: ${result.discarded} discarded, ${result.skipped} skipped`);
    return result;
  }
}
