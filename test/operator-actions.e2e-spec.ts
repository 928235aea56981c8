import { randomUUID } from 'node:crypto';
import { ConsoleLogger } from '@nestjs/common';
import { RowDataPacket } from 'mysql2/promise';
import { paymentEvent, systemWithPublisher } from './support/raw-publisher';
import { asOperator, http, RunningService } from './support/test-system';
import { waitFor } from './support/wait-for';

/** A logger that keeps the Operator context's lines (the guard's log). */
class CapturingLogger extends ConsoleLogger {
  readonly lines: string[] = [];
  override log(message: unknown, context?: string) {
    if (context === 'Operator') this.lines.push(String(message));
  }
  override warn(message: unknown, context?: string) {
    if (context === 'Operator') this.lines.push(String(message));
  }
}

/** Issue 21: the audit trail, named operators (OPERATOR_TOKENS), and a log of actions, not reads. */
describe('operator actions', () => {
  const { system, raw } = systemWithPublisher();
  const alice = `alice-token-${randomUUID()}`;
  const bob = `bob-token-${randomUUID()}`;
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const logger = new CapturingLogger();
  let coupon: RunningService;
  beforeAll(async () => {
    coupon = await system.start('coupon', { OPERATOR_TOKENS: `alice:${alice},bob:${bob}`, CHAOS_ENABLED: 'true' }, logger);
  });

  async function plant(): Promise<string> {
    const event = paymentEvent();
    await raw.publish('', `${system.queue('coupon')}.dlq`, JSON.stringify(event), {
      messageId: event.eventId,
      contentType: 'application/json',
      headers: { 'retry-attempts': 3, 'dead-letter-reason': 'retries-exhausted', 'dead-letter-id': randomUUID(), 'last-error-code': 'DB_UNAVAILABLE' },
    });
    await waitFor(async () => (await system.count('coupon', 'dead_letters', 'message_id = ?', [event.eventId])) === 1, { message: 'letter stored' });
    const [row] = await system.query<RowDataPacket & { id: number }>('coupon', 'SELECT id FROM dead_letters WHERE message_id = ?', [event.eventId]);
    return String(row.id);
  }

  it('names who did what, to which letter, why, and how it ended; newest first', async () => {
    const [a, b] = [await plant(), await plant()];
    expect((await http(coupon, 'POST', `/dead-letters/${a}/discard`, { comment: 'refunded' }, as(alice))).status).toBe(200);
    expect((await http(coupon, 'POST', `/dead-letters/${b}/redrive`, undefined, as(bob))).status).toBe(200);
    expect((await http(coupon, 'POST', `/dead-letters/${a}/redrive`, undefined, as(bob))).status).toBe(409);
    expect((await http(coupon, 'POST', '/dead-letters/redrive', {}, asOperator)).status).toBe(200);
    expect((await http(coupon, 'POST', '/chaos/db', { mode: 'slow', latencyMs: 1 }, as(alice))).status).toBe(200);
    expect((await http(coupon, 'DELETE', '/chaos/db', undefined, as(alice))).status).toBe(200);

    const { status, body } = await http(coupon, 'GET', '/operator-actions?limit=10', undefined, as(bob));
    expect(status).toBe(200);
    expect(body.items.map((i: { operator: string; action: string }) => `${i.operator} ${i.action}`)).toEqual([
      'alice chaos-off',
      'alice chaos-on',
      'operator redrive-bulk',
      'bob redrive',
      'bob redrive',
      'alice discard',
    ]);
    expect(body.items[5]).toMatchObject({ target: `dead-letter ${a}`, comment: 'refunded', outcome: 'discarded', at: expect.any(String) });
    expect(body.items[4]).toMatchObject({ target: `dead-letter ${b}`, outcome: 'redriven' });
    expect(body.items[3]).toMatchObject({ target: `dead-letter ${a}`, outcome: expect.stringContaining('refused') });
    expect((await http(coupon, 'GET', '/operator-actions?limit=1', undefined, as(bob))).body.items).toHaveLength(1);
    expect((await http(coupon, 'GET', '/operator-actions?limit=0', undefined, as(bob))).status).toBe(400);
    expect((await http(coupon, 'GET', '/operator-actions?limit=10&x=1', undefined, as(bob))).status).toBe(400);
    expect((await http(coupon, 'GET', '/operator-actions')).status).toBe(401);
  });

  it('writes the trail row in the action\'s transaction: a discard that fails leaves no "discarded" row', async () => {
    const before = await system.count('coupon', 'operator_actions', "outcome = 'discarded'");
    expect((await http(coupon, 'POST', '/dead-letters/999999999/discard', { comment: 'x' }, as(alice))).status).toBe(404);
    expect(await system.count('coupon', 'operator_actions', "outcome = 'discarded'")).toBe(before);
  });

  it("logs actions and refusals with the operator's name, not reads", async () => {
    logger.lines.length = 0;
    for (let i = 0; i < 5; i++) await http(coupon, 'GET', '/dead-letters', undefined, as(alice));
    expect(logger.lines).toEqual([]);
    await http(coupon, 'POST', '/dead-letters/redrive', {}, as(alice));
    await http(coupon, 'GET', '/dead-letters', undefined, as('wrong-token-0123456789'));
    expect(logger.lines).toEqual([expect.stringContaining('operator alice: POST /dead-letters/redrive'), expect.stringContaining('refused GET /dead-letters')]);
    expect(logger.lines.join('\n')).not.toContain(alice);
  });

  it("lets the named operators into the order service's operator routes too, and no one else", async () => {
    const order = await system.start('order', { OPERATOR_TOKENS: `alice:${alice},bob:${bob}` });
    expect((await http(order, 'GET', '/ledger/paid-order-ids', undefined, as(alice))).status).toBe(200);
    expect((await http(order, 'GET', '/ledger/paid-order-ids', undefined, asOperator)).status).toBe(200);
    expect((await http(order, 'GET', '/ledger/paid-order-ids', undefined, as('wrong-token-0123456789'))).status).toBe(401);
  });
});
