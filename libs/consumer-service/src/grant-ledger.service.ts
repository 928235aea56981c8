import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { formatDuration } from '@reliable-payments/config';
import { MessagingService, parseAttemptHistory } from '@reliable-payments/messaging';

export const GRANT_LEDGER_OPTIONS = Symbol('GRANT_LEDGER_OPTIONS');
export interface GrantLedgerOptions {
  /** The consumer's name: the service named in timelines and summaries, and the key of its queues. */
  consumer: string;
  /** The grant table: one row per order (`order_id` unique, `event_id`, `issued_at`, `attempt_history`). */
  grantTable: 'coupons' | 'red_packets';
}

export interface TimelineRow {
  at: string;
  service: string;
  event: string;
  detail: Record<string, unknown>;
}

type DeadLetterRow = {
  id: string;
  reason: string;
  error_code: string;
  attempts: number;
  dead_lettered_at: Date;
  status: string;
  redriven_at: Date | null;
  headers: string;
};

/**
 * One consumer's side of the console's ledger: grants issued, dead letters still owed a grant, and
 * one order's rows. Counts use the grant table's primary index and the dead letters' status index;
 * lookups use unique keys.
 */
@Injectable()
export class GrantLedgerService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly messaging: MessagingService,
    @Inject(GRANT_LEDGER_OPTIONS) private readonly options: GrantLedgerOptions,
  ) {}

  async summary() {
    const at = new Date().toISOString();
    const table = this.options.grantTable;
    const [granted]: Array<{ n: string | number }> = await this.dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`);
    // Pending letters that carry an order id and whose order has no grant yet: what the ledger owes.
    // A redelivered copy of an already granted order is not owed anything, nor is poison without an
    // order. The order id was read once when the letter was stored (`order_id`, index `status,
    // order_id`): this anonymous route never parses payloads, and reads index entries only.
    const [owed]: Array<{ n: string | number }> = await this.dataSource.query(
      `SELECT COUNT(DISTINCT d.order_id) AS n FROM dead_letters d
        WHERE d.status = 'PENDING' AND d.order_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${table} g WHERE g.order_id = d.order_id)`,
    );
    // Given up by an operator (with a comment), not lost: orders with a discarded letter, no grant,
    // and no letter still pending (that one is counted as owed above).
    const [discarded]: Array<{ n: string | number }> = await this.dataSource.query(
      `SELECT COUNT(DISTINCT d.order_id) AS n FROM dead_letters d
        WHERE d.status = 'DISCARDED' AND d.order_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM ${table} g WHERE g.order_id = d.order_id)
          AND NOT EXISTS (SELECT 1 FROM dead_letters p WHERE p.status = 'PENDING' AND p.order_id = d.order_id)`,
    );
    const groups: Array<{ error_code: string; n: string | number }> = await this.dataSource.query(
      "SELECT error_code, COUNT(*) AS n FROM dead_letters WHERE status = 'PENDING' GROUP BY error_code ORDER BY n DESC LIMIT 50",
    );
    const routes = this.messaging.routes(this.options.consumer);
    return {
      service: this.options.consumer,
      granted: Number(granted.n),
      deadLettered: Number(owed.n),
      discarded: Number(discarded.n),
      deadLetterGroups: groups.map((g) => ({ errorCode: g.error_code, count: Number(g.n) })),
      queues: {
        main: routes.queue,
        retry: routes.retryQueues.map((queue, i) => ({ queue, delayMs: routes.retryDelaysMs[i] })),
        deadLetter: routes.deadLetterQueue,
      },
      at,
    };
  }

  /** Granted order ids in id order, one page after `after` (unique index `order_id`). */
  async grantedOrderIds(after: string, limit: number): Promise<string[]> {
    const rows: Array<{ order_id: string }> = await this.dataSource.query(
      `SELECT order_id FROM ${this.options.grantTable} WHERE order_id > ? ORDER BY order_id LIMIT ?`,
      [after, limit],
    );
    return rows.map((row) => row.order_id);
  }

  /** Order ids of pending dead letters without a grant (at most `limit`): owed a re-drive, not lost. */
  async owedOrderIds(limit: number): Promise<string[]> {
    const table = this.options.grantTable;
    const rows: Array<{ order_id: string }> = await this.dataSource.query(
      `SELECT DISTINCT d.order_id FROM dead_letters d
        WHERE d.status = 'PENDING' AND d.order_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${table} g WHERE g.order_id = d.order_id)
        ORDER BY d.order_id LIMIT ?`,
      [limit],
    );
    return rows.map((row) => row.order_id);
  }

  /** This consumer's rows of one order's story: each failed attempt, dead-lettering, re-drive, the grant. */
  async timeline(orderId: string, eventId?: string): Promise<TimelineRow[]> {
    const service = this.options.consumer;
    const [grant]: Array<{ issued_at: Date; event_id: string; attempt_history: string | null }> = await this.dataSource.query(
      `SELECT issued_at, event_id, attempt_history FROM ${this.options.grantTable} WHERE order_id = ?`,
      [orderId],
    );
    const messageId = eventId ?? grant?.event_id;
    const letters: DeadLetterRow[] = messageId
      ? await this.dataSource.query(
          'SELECT id, reason, error_code, attempts, dead_lettered_at, status, redriven_at, headers FROM dead_letters WHERE message_id = ? ORDER BY id LIMIT 20',
          [messageId],
        )
      : [];
    const rows: TimelineRow[] = [];
    const levels = this.messaging.routes(this.options.consumer).retryDelaysMs;
    const failures = new Map<string, TimelineRow>();
    const addFailures = (history: unknown) => {
      for (const a of parseAttemptHistory(history)) {
        // The same failure can be stored twice (a re-driven message keeps its history): keep one.
        failures.set(`${a.at}|${a.attempt}|${a.code}`, {
          at: a.at,
          service,
          event: 'delivery.failed',
          detail: { attempt: a.attempt, errorCode: a.code, next: nextStep(levels, a.attempt) },
        });
      }
    };
    for (const letter of letters) {
      addFailures(headerOf(letter.headers, 'attempt-history'));
      rows.push({
        at: letter.dead_lettered_at.toISOString(),
        service,
        event: 'dead-lettered',
        detail: { deadLetterId: String(letter.id), reason: letter.reason, errorCode: letter.error_code, attempts: letter.attempts },
      });
      if (letter.redriven_at) rows.push({ at: letter.redriven_at.toISOString(), service, event: 'redriven', detail: { deadLetterId: String(letter.id) } });
    }
    if (grant) {
      addFailures(grant.attempt_history);
      rows.push({ at: grant.issued_at.toISOString(), service, event: 'grant.issued', detail: { eventId: grant.event_id } });
    }
    return [...failures.values(), ...rows].sort((a, b) => a.at.localeCompare(b.at));
  }
}

/** One header of a stored dead letter; its headers column is JSON written by the store. */
function headerOf(headers: string, name: string): unknown {
  try {
    return (JSON.parse(headers) as Record<string, unknown>)?.[name];
  } catch {
    return undefined;
  }
}

/** Where a failure sent the message: a retry level (named by its delay) or the dead-letter queue. */
function nextStep(levels: number[], attempt: number): string {
  return attempt <= levels.length ? `retry level ${attempt} (${formatDuration(levels[attempt - 1])})` : 'dead-letter queue';
}
