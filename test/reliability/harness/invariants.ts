import { RowDataPacket } from 'mysql2/promise';
import { ServiceProcess } from '../../../tools/process/service-process';
import { RunDatabases } from './run-databases';

export interface InvariantReport {
  /** Orders the clients were told are paid. */
  orders: number;
  lost: number;
  duplicated: number;
  deadLettered: { coupon: number; redPacket: number };
  violations: string[];
}

export interface ExpectedDeadLetters {
  couponDeadLetters?: number;
  redPacketDeadLetters?: number;
}

const GRANTS = [
  ['coupon', 'coupons'],
  ['redPacket', 'red_packets'],
] as const;

/**
 * The invariants, read after the drain (docs/reliability.md lists them): every order a client was told is
 * paid is paid and has exactly one coupon and one red packet; no grant for an unpaid order; no
 * half-committed work; no unsent outbox row; empty queues; exactly the dead letters expected,
 * each with its error; no service exit the scenario did not cause.
 */
export async function checkInvariants(
  dbs: RunDatabases,
  told: ReadonlyMap<string, 'paid' | 'failed'>,
  queueDepths: () => Promise<Record<string, number>>,
  services: ServiceProcess[],
  expected: ExpectedDeadLetters = {},
): Promise<InvariantReport> {
  const violations: string[] = [];
  const paidRows = await dbs.query<RowDataPacket & { id: string }>('order', "SELECT id FROM orders WHERE status = 'PAID'");
  const paid = new Set(paidRows.map((r) => r.id));
  const toldPaid = [...told].filter(([, t]) => t === 'paid').map(([id]) => id);
  const notPaid = toldPaid.filter((id) => !paid.has(id));
  if (notPaid.length) violations.push(`${notPaid.length} orders told paid are not paid`);

  let lost = 0;
  let duplicated = 0;
  for (const [db, table] of GRANTS) {
    const rows = await dbs.query<RowDataPacket & { order_id: string; n: number }>(db, `SELECT order_id, COUNT(*) AS n FROM ${table} GROUP BY order_id`);
    const granted = new Map(rows.map((r) => [r.order_id, Number(r.n)]));
    const missing = [...paid].filter((id) => !granted.has(id)).length;
    const twice = rows.filter((r) => Number(r.n) > 1).length;
    const forUnpaid = rows.filter((r) => !paid.has(r.order_id)).length;
    lost += missing;
    duplicated += twice;
    if (missing) violations.push(`${missing} paid orders without a ${table} row`);
    if (twice) violations.push(`${twice} orders with more than one ${table} row`);
    if (forUnpaid) violations.push(`${forUnpaid} ${table} rows for orders that are not paid`);
  }
  // Half-committed work would show as an inbox row without its grant (or the reverse). Compared
  // here, not joined in SQL: the inbox's key is (consumer, message_id), so a join on message_id
  // alone scans the whole inbox per grant, which never returned on a soak's 355,587 orders.
  for (const [db, table] of GRANTS) {
    const inbox = new Set((await dbs.query<RowDataPacket & { id: string }>(db, 'SELECT message_id AS id FROM inbox_messages')).map((r) => r.id));
    const grants = new Set((await dbs.query<RowDataPacket & { id: string }>(db, `SELECT event_id AS id FROM ${table}`)).map((r) => r.id));
    const inboxOnly = [...inbox].filter((id) => !grants.has(id)).length;
    const grantOnly = [...grants].filter((id) => !inbox.has(id)).length;
    if (inboxOnly || grantOnly) violations.push(`${table}: ${inboxOnly} inbox rows without a grant, ${grantOnly} grants without an inbox row`);
  }
  const pending = await dbs.count('order', 'SELECT COUNT(*) AS n FROM outbox_messages WHERE sent_at IS NULL');
  if (pending > 0) violations.push(`${pending} outbox rows unsent`);
  for (const [queue, n] of Object.entries(await queueDepths())) if (n > 0) violations.push(`${n} messages left in ${queue}`);

  const deadLettered = { coupon: 0, redPacket: 0 };
  for (const [db, want] of [
    ['coupon', expected.couponDeadLetters ?? 0],
    ['redPacket', expected.redPacketDeadLetters ?? 0],
  ] as const) {
    const rows = await dbs.query<RowDataPacket & { error_message: string }>(db, 'SELECT error_message FROM dead_letters');
    deadLettered[db] = rows.length;
    if (rows.length !== want) violations.push(`${db}: ${rows.length} dead letters, expected ${want}`);
    if (rows.some((r) => !r.error_message)) violations.push(`${db}: a dead letter without its error`);
  }
  for (const service of services) violations.push(...service.unexpectedExits);
  return { orders: toldPaid.length, lost, duplicated, deadLettered, violations };
}
