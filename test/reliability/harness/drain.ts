import { RunDatabases } from './run-databases';

/**
 * Polls until nothing is in flight: no unsent outbox row, every queue empty, every paid order
 * with its coupon and its red packet. Returns the seconds it waited, also when it gave up at
 * the deadline (the invariants then say what is left).
 */
export async function drain(dbs: RunDatabases, queueDepths: () => Promise<Record<string, number>>, timeoutMs = 120_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    const settled = await isSettled(dbs, queueDepths).catch(() => false);
    if (settled) return (Date.now() - started) / 1000;
    if (Date.now() - started > timeoutMs) return (Date.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function isSettled(dbs: RunDatabases, queueDepths: () => Promise<Record<string, number>>): Promise<boolean> {
  if ((await dbs.count('order', 'SELECT COUNT(*) AS n FROM outbox_messages WHERE sent_at IS NULL')) > 0) return false;
  if (Object.values(await queueDepths()).some((n) => n > 0)) return false;
  const paid = await dbs.count('order', "SELECT COUNT(*) AS n FROM orders WHERE status = 'PAID'");
  const coupons = await dbs.count('coupon', 'SELECT COUNT(DISTINCT order_id) AS n FROM coupons');
  const packets = await dbs.count('redPacket', 'SELECT COUNT(DISTINCT order_id) AS n FROM red_packets');
  return coupons >= paid && packets >= paid;
}
