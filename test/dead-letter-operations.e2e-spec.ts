import { randomUUID } from 'node:crypto';
import { RowDataPacket } from 'mysql2/promise';
import { parseSamples, sampleValue } from '@reliable-payments/metrics';
import { paymentEvent, RawPublisher, systemWithPublisher } from './support/raw-publisher';
import { asOperator, http, RunningService, TestSystem } from './support/test-system';
import { waitFor } from './support/wait-for';

/**
 * Issue 21 (service side): discarding, failure groups, and what the ledger makes of them; issue 20
 * item 5: the anonymous ledger summary never parses payloads.
 */

/** A valid event published straight to the coupon DLQ as if its retries had run out with `error`. */
async function exhausted(raw: RawPublisher, system: TestSystem, error: string, code = 'DB_UNAVAILABLE', body?: Buffer) {
  const event = paymentEvent();
  await raw.publish('', `${system.queue('coupon')}.dlq`, body ?? JSON.stringify(event), {
    messageId: event.eventId,
    contentType: 'application/json',
    headers: {
      'retry-attempts': 3,
      'dead-letter-reason': 'retries-exhausted',
      'dead-letter-id': randomUUID(),
      'last-error-code': code,
      'last-error-class': 'transient',
      'last-error': error,
    },
  });
  return event;
}

async function letterIdOf(system: TestSystem, messageId: string): Promise<string> {
  const [row] = await system.query<RowDataPacket & { id: number }>('coupon', 'SELECT id FROM dead_letters WHERE message_id = ?', [messageId]);
  return String(row.id);
}

describe('dead-letter operations', () => {
  const { system, raw } = systemWithPublisher();
  let coupon: RunningService;
  beforeAll(async () => {
    coupon = await system.start('coupon');
  });

  it('groups pending letters by failure: the same failure about different orders is one group, another failure another', async () => {
    for (let i = 0; i < 3; i++) await exhausted(raw, system, `connect ECONNREFUSED 127.0.0.1:${3300 + i} (attempt ${i + 1})`);
    await exhausted(raw, system, 'lock wait timeout exceeded', 'DB_LOCK_TIMEOUT');
    await waitFor(async () => (await system.count('coupon', 'dead_letters')) === 4, { message: 'letters stored' });

    const { status, body } = await http(coupon, 'GET', '/dead-letters/groups', undefined, asOperator);
    expect(status).toBe(200);
    expect(body.groups).toHaveLength(2);
    expect(body.groups[0]).toMatchObject({
      errorCode: 'DB_UNAVAILABLE',
      count: 3,
      fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
      sampleError: expect.stringContaining('ECONNREFUSED'),
    });
    expect(body.groups[1]).toMatchObject({ errorCode: 'DB_LOCK_TIMEOUT', count: 1 });
    expect(Date.parse(body.groups[0].firstAt)).toBeLessThanOrEqual(Date.parse(body.groups[0].lastAt));
    const sample = await http(coupon, 'GET', `/dead-letters/${body.groups[0].sampleId}`, undefined, asOperator);
    expect(sample.body).toMatchObject({ fingerprint: body.groups[0].fingerprint, status: 'PENDING' });
    expect((await http(coupon, 'GET', '/dead-letters/groups')).status).toBe(401);
  });

  it('re-drives one group only when asked by fingerprint; the order is granted', async () => {
    const { body } = await http(coupon, 'GET', '/dead-letters/groups', undefined, asOperator);
    const lock = body.groups.find((g: { errorCode: string }) => g.errorCode === 'DB_LOCK_TIMEOUT');
    const result = await http(coupon, 'POST', '/dead-letters/redrive', { fingerprint: lock.fingerprint }, asOperator);
    expect(result).toMatchObject({ status: 200, body: { redriven: 1, failed: 0 } });
    await waitFor(async () => (await system.count('coupon', 'coupons')) === 1, { message: 'the group re-driven and granted' });
    expect(await system.count('coupon', 'dead_letters', "status = 'PENDING'")).toBe(3);
    expect((await http(coupon, 'POST', '/dead-letters/redrive', { fingerprint: 'not-a-print' }, asOperator)).status).toBe(400);
  });

  it('discards one letter with a comment: DISCARDED, never re-driven, counted as discarded by the ledger', async () => {
    const event = await exhausted(raw, system, 'the coupon rule for this campaign was withdrawn', 'CAMPAIGN_GONE');
    await waitFor(async () => (await system.count('coupon', 'dead_letters', 'message_id = ?', [event.eventId])) === 1, { message: 'letter stored' });
    const id = await letterIdOf(system, event.eventId);
    const before = (await http(coupon, 'GET', '/ledger/summary')).body;

    // Bad input: a clear 400 and nothing changed.
    for (const bad of [undefined, {}, { comment: '' }, { comment: '   ' }, { comment: 'x'.repeat(501) }, { comment: 'ok', extra: 1 }, { comment: 42 }]) {
      const response = await http(coupon, 'POST', `/dead-letters/${id}/discard`, bad, asOperator);
      expect(response.status).toBe(400);
      expect(typeof response.body.message).toBe('string');
    }
    expect((await http(coupon, 'POST', '/dead-letters/abc/discard', { comment: 'x' }, asOperator)).status).toBe(400);
    expect((await http(coupon, 'POST', '/dead-letters/999999999/discard', { comment: 'x' }, asOperator)).status).toBe(404);
    expect((await http(coupon, 'POST', `/dead-letters/${id}/discard`, { comment: 'x' })).status).toBe(401);
    expect(await system.count('coupon', 'dead_letters', "status = 'PENDING' AND message_id = ?", [event.eventId])).toBe(1);

    const discarded = await http(coupon, 'POST', `/dead-letters/${id}/discard`, { comment: 'campaign withdrawn; customer refunded (ticket 4711)' }, asOperator);
    expect(discarded).toMatchObject({
      status: 200,
      body: { id, status: 'DISCARDED', comment: 'campaign withdrawn; customer refunded (ticket 4711)', discardedAt: expect.any(String) },
    });

    expect(await http(coupon, 'POST', `/dead-letters/${id}/redrive`, undefined, asOperator)).toMatchObject({
      status: 409,
      body: { message: expect.stringContaining('discarded') },
    });
    expect((await http(coupon, 'POST', `/dead-letters/${id}/discard`, { comment: 'again' }, asOperator)).status).toBe(409);
    const bulk = await http(
      coupon,
      'POST',
      '/dead-letters/redrive',
      { includePoison: true, limit: 1000, reason: 'retries-exhausted', fingerprint: discarded.body.fingerprint },
      asOperator,
    );
    expect(bulk.body).toMatchObject({ redriven: 0 });
    expect(await system.count('coupon', 'dead_letters', "status = 'DISCARDED'")).toBe(1);

    const after = (await http(coupon, 'GET', '/ledger/summary')).body;
    expect(after.discarded).toBe(before.discarded + 1);
    expect(after.deadLettered).toBe(before.deadLettered - 1);
    expect(after.granted).toBe(before.granted);
    expect((await http(coupon, 'GET', '/dead-letters?status=DISCARDED', undefined, asOperator)).body.items).toHaveLength(1);
  });

  it('discards a whole group by fingerprint: {discarded, skipped}', async () => {
    const { body } = await http(coupon, 'GET', '/dead-letters/groups', undefined, asOperator);
    const group = body.groups.find((g: { errorCode: string }) => g.errorCode === 'DB_UNAVAILABLE');
    expect((await http(coupon, 'POST', '/dead-letters/discard', { fingerprint: group.fingerprint }, asOperator)).status).toBe(400);
    expect((await http(coupon, 'POST', '/dead-letters/discard', { fingerprint: 'zz', comment: 'x' }, asOperator)).status).toBe(400);
    const result = await http(
      coupon,
      'POST',
      '/dead-letters/discard',
      { fingerprint: group.fingerprint, comment: 'replayed from the payment provider instead' },
      asOperator,
    );
    expect(result).toMatchObject({ status: 200, body: { discarded: 3, skipped: 0 } });
    expect((await http(coupon, 'GET', '/dead-letters/groups', undefined, asOperator)).body.groups).toEqual([]);
    expect((await http(coupon, 'POST', '/dead-letters/redrive', {}, asOperator)).body).toMatchObject({ redriven: 0 });
  });

  it('edits and re-drives a poison letter: the edit is checked against the contract, sent once, and both payloads stay readable', async () => {
    const event = paymentEvent({ amount: '10' });
    await raw.publish('', system.queue('coupon'), JSON.stringify(event), { messageId: event.eventId, contentType: 'application/json' });
    await waitFor(async () => (await system.count('coupon', 'dead_letters', 'message_id = ?', [event.eventId])) === 1, { message: 'poison stored' });
    const id = await letterIdOf(system, event.eventId);
    const fixed = { ...event, data: { ...event.data, amount: '10.00' } };
    const route = `/dead-letters/${id}/edit-and-redrive`;

    // Bad edits: a 400 naming the field, and nothing changed.
    const stillBad = await http(coupon, 'POST', route, { payload: event, comment: 'fix amount' }, asOperator);
    expect(stillBad).toMatchObject({ status: 400, body: { message: expect.stringContaining('payload.data.amount') } });
    const otherId = await http(coupon, 'POST', route, { payload: { ...fixed, eventId: randomUUID() }, comment: 'fix amount' }, asOperator);
    expect(otherId).toMatchObject({ status: 400, body: { message: expect.stringContaining('payload.eventId') } });
    for (const bad of [
      { payload: fixed },
      { payload: 'x', comment: 'c' },
      { payload: fixed, comment: 'c', extra: true },
      { payload: fixed, comment: 'c'.repeat(501) },
    ]) {
      expect((await http(coupon, 'POST', route, bad, asOperator)).status).toBe(400);
    }
    expect(
      (await http(coupon, 'POST', route, { payload: { ...fixed, data: { ...fixed.data, userId: 'u'.repeat(20_000) } }, comment: 'c' }, asOperator)).status,
    ).toBe(413);
    expect((await http(coupon, 'POST', route, { payload: fixed, comment: 'c' })).status).toBe(401);
    expect(await system.count('coupon', 'dead_letters', "id = ? AND status = 'PENDING'", [id])).toBe(1);
    expect(await system.count('coupon', 'coupons', 'order_id = ?', [event.data.orderId])).toBe(0);

    const edited = await http(coupon, 'POST', route, { payload: fixed, comment: 'amount had no decimals (upstream bug 812)' }, asOperator);
    expect(edited).toMatchObject({ status: 200, body: { id, status: 'REDRIVEN', comment: 'amount had no decimals (upstream bug 812)' } });
    await waitFor(async () => (await system.count('coupon', 'coupons', 'order_id = ?', [event.data.orderId])) === 1, { message: 'granted after the edit' });

    const payloads = (await http(coupon, 'GET', `/dead-letters/${id}/payload`, undefined, asOperator)).body;
    expect(JSON.parse(payloads.payload).data.amount).toBe('10');
    expect(JSON.parse(payloads.editedPayload).data.amount).toBe('10.00');
    expect((await http(coupon, 'POST', route, { payload: fixed, comment: 'again' }, asOperator)).status).toBe(409);
    expect((await http(coupon, 'POST', `/dead-letters/${id}/redrive`, undefined, asOperator)).status).toBe(409);
    // The edited event is processed once: no new dead letter, exactly one coupon.
    expect(await system.count('coupon', 'dead_letters', 'message_id = ?', [event.eventId])).toBe(1);
    expect(await system.count('coupon', 'coupons', 'order_id = ?', [event.data.orderId])).toBe(1);
  });

  // Issue 20, item 5: ten 4 MB letters made one anonymous summary take 1.1 s (every pending
  // payload parsed with JSON_VALID on every call) instead of a few milliseconds.
  it('answers the anonymous ledger summary from indexed columns, however large the pending letters', async () => {
    const big = Buffer.alloc(4 * 1024 * 1024 - 64, ' ');
    Buffer.from(JSON.stringify(paymentEvent())).copy(big);
    for (let i = 0; i < 10; i++) await exhausted(raw, system, 'big', 'DB_UNAVAILABLE', big);
    await waitFor(async () => (await system.count('coupon', 'dead_letters', "status = 'PENDING'")) === 10, {
      timeoutMs: 60_000,
      message: 'big letters stored',
    });
    const timings: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      expect((await http(coupon, 'GET', '/ledger/summary')).status).toBe(200);
      timings.push(performance.now() - started);
    }
    timings.sort((a, b) => a - b);
    expect(timings[2]).toBeLessThan(150);
  });
});

describe('bulk re-drive, a batch of letters per transaction', () => {
  const { system, raw } = systemWithPublisher();
  let coupon: RunningService;
  beforeAll(async () => {
    coupon = await system.start('coupon');
  });

  it('takes at most `limit` letters, lowest ids first, and leaves the rest pending', async () => {
    for (let i = 0; i < 70; i++) await exhausted(raw, system, 'connect ECONNREFUSED 127.0.0.1:3306');
    await waitFor(async () => (await system.count('coupon', 'dead_letters')) === 70, { message: 'letters stored', timeoutMs: 60_000 });
    const result = await http(coupon, 'POST', '/dead-letters/redrive', { limit: 60 }, asOperator);
    expect(result).toMatchObject({ status: 200, body: { redriven: 60, failed: 0, skipped: 0 } });
    const [{ lowestPending }] = await system.query<RowDataPacket & { lowestPending: number }>(
      'coupon',
      "SELECT MIN(id) AS lowestPending FROM dead_letters WHERE status = 'PENDING'",
    );
    expect(await system.count('coupon', 'dead_letters', "status = 'REDRIVEN' AND id > ?", [lowestPending])).toBe(0);
    expect(await system.count('coupon', 'dead_letters', "status = 'PENDING'")).toBe(10);
    await waitFor(async () => (await system.count('coupon', 'coupons')) === 60, { message: 'the 60 granted', timeoutMs: 60_000 });
  });

  it('from two concurrent calls, sends each letter once: every order granted once, none left pending', async () => {
    for (let i = 0; i < 240; i++) await exhausted(raw, system, 'connect ECONNREFUSED 127.0.0.1:3306');
    await waitFor(async () => (await system.count('coupon', 'dead_letters', "status = 'PENDING'")) === 250, { message: 'letters stored', timeoutMs: 60_000 });
    const calls = await Promise.all([1, 2].map(() => http(coupon, 'POST', '/dead-letters/redrive', { limit: 1000 }, asOperator)));
    for (const call of calls) expect(call).toMatchObject({ status: 200, body: { failed: 0, errors: [] } });
    expect(calls[0].body.redriven + calls[1].body.redriven).toBe(250);
    expect(await system.count('coupon', 'dead_letters', "status = 'PENDING'")).toBe(0);
    await waitFor(async () => (await system.count('coupon', 'coupons')) === 310, { message: 'every order granted', timeoutMs: 90_000 });
    const [{ orders }] = await system.query<RowDataPacket & { orders: number }>('coupon', 'SELECT COUNT(DISTINCT order_id) AS orders FROM coupons');
    expect(Number(orders)).toBe(310);
    // Sent once each: no delivery came back as a duplicate for the inbox to drop.
    const samples = parseSamples(await (await fetch(`${coupon.url}/metrics`)).text());
    expect(sampleValue(samples, 'messages_consumed_total', { outcome: 'duplicate' })).toBe(0);
    expect(sampleValue(samples, 'dead_letters_redriven_total')).toBe(310);
  });

  it('lists by id with ?after= (keyset, no total), and refuses it beside page', async () => {
    const ids: number[] = [];
    let after: string | null = '0';
    while (after !== null) {
      const page = await http(coupon, 'GET', `/dead-letters?status=REDRIVEN&after=${after}&limit=100`, undefined, asOperator);
      expect(page).toMatchObject({ status: 200, body: { after, limit: 100 } });
      expect(page.body.total).toBeUndefined();
      ids.push(...page.body.items.map((item: { id: string }) => Number(item.id)));
      after = page.body.next;
    }
    expect(ids).toHaveLength(310);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    for (const bad of ['after=0&page=2', 'after=abc', 'after=-1', 'after=01'])
      expect(await http(coupon, 'GET', `/dead-letters?${bad}`, undefined, asOperator)).toMatchObject({ status: 400, body: { message: expect.any(String) } });
    expect((await http(coupon, 'GET', '/dead-letters?after=0')).status).toBe(401);
  });
});
