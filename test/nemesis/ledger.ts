import { RowDataPacket } from 'mysql2/promise';
import { ReliabilitySystem } from '../reliability/harness/reliability-system';

export interface GrantLedger {
  granted: number;
  /** How many paid orders have no grant and no pending dead letter: lost. */
  lostCount: number;
  /** Their ids (the first 50). */
  lost: string[];
  /** Orders with more than one grant. */
  duplicated: string[];
  /** Paid orders without a grant, waiting in the dead-letter table (with their reasons). */
  deadLettered: { orderId: string; reason: string; error: string }[];
}

export interface Ledger {
  paid: number;
  coupon: GrantLedger;
  redPacket: GrantLedger;
  outboxPending: number;
  queued: Record<string, number>;
  lost: number;
  duplicated: number;
}

const GRANTS = [
  ['coupon', 'coupons'],
  ['redPacket', 'red_packets'],
] as const;

/**
 * The nemesis checker's ledger, read from the databases and the broker: for every paid order,
 * its coupon and red packet, or the dead letter that stands for a missing one; what is still
 * pending in the outbox or waiting in a queue. Order ids are kept (the first 50) for the report.
 */
export async function readLedger(system: ReliabilitySystem, queueDepths: () => Promise<Record<string, number>>): Promise<Ledger> {
  const paidRows = await system.query<RowDataPacket & { id: string }>('order', "SELECT id FROM orders WHERE status = 'PAID'");
  const paid = new Set(paidRows.map((r) => r.id));
  const ledger = { paid: paid.size } as Ledger;
  for (const [db, table] of GRANTS) {
    const rows = await system.query<RowDataPacket & { order_id: string; n: number }>(db, `SELECT order_id, COUNT(*) AS n FROM ${table} GROUP BY order_id`);
    const granted = new Map(rows.map((r) => [r.order_id, Number(r.n)]));
    const letters = await system.query<RowDataPacket & { order_id: string; reason: string; error_message: string }>(
      db,
      "SELECT order_id, reason, error_message FROM dead_letters WHERE status = 'PENDING'",
    );
    const lettered = new Map(letters.map((l) => [l.order_id, l]));
    const missing = [...paid].filter((id) => !granted.has(id));
    const lost = missing.filter((id) => !lettered.has(id));
    ledger[db] = {
      granted: granted.size,
      lostCount: lost.length,
      lost: lost.slice(0, 50),
      duplicated: rows
        .filter((r) => Number(r.n) > 1)
        .map((r) => r.order_id)
        .slice(0, 50),
      deadLettered: missing
        .filter((id) => lettered.has(id))
        .map((id) => ({ orderId: id, reason: lettered.get(id)!.reason, error: lettered.get(id)!.error_message })),
    };
  }
  const [pending] = await system.query<RowDataPacket & { n: number }>('order', 'SELECT COUNT(*) AS n FROM outbox_messages WHERE sent_at IS NULL');
  ledger.outboxPending = Number(pending.n);
  ledger.queued = Object.fromEntries(Object.entries(await queueDepths().catch(() => ({ unreadable: -1 }))).filter(([, n]) => n !== 0));
  ledger.lost = ledger.coupon.lostCount + ledger.redPacket.lostCount;
  ledger.duplicated = ledger.coupon.duplicated.length + ledger.redPacket.duplicated.length;
  return ledger;
}

/** Nothing in flight: no unsent outbox row, every queue empty, every paid order granted or dead-lettered by each consumer. */
export function isSettled(ledger: Ledger): boolean {
  return ledger.outboxPending === 0 && Object.keys(ledger.queued).length === 0 && ledger.lost === 0;
}

/** Polls the ledger until it settles or `timeoutMs` passes; the last ledger read. */
export async function waitForLedger(
  system: ReliabilitySystem,
  queueDepths: () => Promise<Record<string, number>>,
  timeoutMs: number,
): Promise<{ ledger: Ledger; seconds: number }> {
  const started = Date.now();
  for (;;) {
    const ledger = await readLedger(system, queueDepths).catch(() => undefined);
    if (ledger && (isSettled(ledger) || Date.now() - started > timeoutMs)) return { ledger, seconds: (Date.now() - started) / 1000 };
    if (!ledger && Date.now() - started > timeoutMs) throw new Error('the ledger could not be read');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}
