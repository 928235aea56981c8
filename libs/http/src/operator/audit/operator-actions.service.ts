import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { OperatorAction } from './operator-action.entity';

export interface OperatorActionRecord {
  operator: string;
  action: string;
  target: string;
  comment?: string | null;
  outcome: string;
}

export const MAX_ACTIONS_PAGE = 200;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * The audit trail. `record` takes the caller's transaction: the row commits with the action's
 * effect or not at all, so the trail never claims an action that rolled back, nor misses one.
 */
@Injectable()
export class OperatorActions {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async record(manager: EntityManager | undefined, action: OperatorActionRecord): Promise<void> {
    await (manager ?? this.dataSource.manager).insert(OperatorAction, {
      at: new Date(),
      operator: clip(action.operator, 32),
      action: clip(action.action, 32),
      target: clip(action.target, 255),
      comment: action.comment ?? null,
      outcome: clip(action.outcome, 500),
    });
  }

  /** Newest first. */
  async list(limit: number) {
    const rows = await this.dataSource.manager.find(OperatorAction, { order: { id: 'DESC' }, take: Math.min(limit, MAX_ACTIONS_PAGE) });
    return {
      items: rows.map((r) => ({ at: r.at.toISOString(), operator: r.operator, action: r.action, target: r.target, comment: r.comment, outcome: r.outcome })),
    };
  }
}
