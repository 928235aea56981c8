import { createHmac, randomBytes } from 'node:crypto';
import { asOperator, createAndPay, http, RunningService, TestSystem } from './support/test-system';
import { paymentEvent, RawPublisher } from './support/raw-publisher';
import { waitFor } from './support/wait-for';

const KEY_ID = 'k2026-12';
const SECRET = randomBytes(32).toString('base64url');
const KEYS = `k2026-06:${randomBytes(32).toString('base64url')},${KEY_ID}:${SECRET}`;

/** Headers as the order service signs: over the message id, "\n" and the exact body. */
const signedWith = (secret: string, messageId: string, body: string) => ({
  'signature-key-id': KEY_ID,
  signature: createHmac('sha256', secret).update(`${messageId}\n${body}`).digest('base64url'),
});

/** A correctly signed event the coupon contract refuses (no decimals in the amount): poison after the signature check. */
async function publishSignedPoison(system: TestSystem, raw: RawPublisher) {
  const event = paymentEvent({ amount: '10' });
  const body = JSON.stringify(event);
  await raw.publish('', system.queue('coupon'), body, {
    messageId: event.eventId,
    contentType: 'application/json',
    headers: signedWith(SECRET, event.eventId, body),
  });
  await waitFor(async () => (await system.count('coupon', 'dead_letters', 'message_id = ?', [event.eventId])) === 1, { message: 'signed poison stored' });
  const [letter] = await system.query<any>('coupon', 'SELECT id, error_code FROM dead_letters WHERE message_id = ?', [event.eventId]);
  return { event, letter };
}

/** A forger on the shared broker user: it knows the header names and a real key id, not the secret. */
const forgedSignature = (messageId: string, body: string) => ({
  'signature-key-id': KEY_ID,
  signature: createHmac('sha256', 'a-guess-at-the-secret-of-32-chars').update(`${messageId}\n${body}`).digest('base64url'),
});

describe('signed events (EVENT_SIGNING_KEYS)', () => {
  describe('with the keys set on the order and coupon services', () => {
    const system = new TestSystem({ EVENT_SIGNING_KEYS: KEYS });
    const raw = new RawPublisher();
    let order: RunningService;
    let coupon: RunningService;
    beforeAll(async () => {
      order = await system.start('order', { EVENT_SIGNING_KEY_ID: KEY_ID });
      coupon = await system.start('coupon');
      await raw.open();
    });
    afterAll(async () => {
      await raw.close();
      await system.cleanup();
    });

    it('grants a paid order: the relay signs what it publishes', async () => {
      const orderId = await createAndPay(order, '88.00', 'signed-user');
      await waitFor(async () => (await system.count('coupon', 'coupons', 'order_id = ?', [orderId])) === 1, {
        timeoutMs: 15_000,
        message: 'coupon for the signed order',
      });
      expect(await system.count('coupon', 'dead_letters')).toBe(0);
    });

    it('dead-letters unsigned, forged and unknown-key events at attempt 1 and grants none of them', async () => {
      const cases = (['SIGNATURE_MISSING', 'SIGNATURE_INVALID', 'SIGNATURE_UNKNOWN_KEY'] as const).map((code) => {
        const event = paymentEvent({ userId: `forger-${code}` });
        const body = JSON.stringify(event);
        const headers =
          code === 'SIGNATURE_MISSING'
            ? {}
            : code === 'SIGNATURE_INVALID'
              ? forgedSignature(event.eventId, body)
              : { ...forgedSignature(event.eventId, body), 'signature-key-id': 'k-never-issued' };
        return { code, event, body, headers };
      });
      // Straight onto the coupon queue's route, as anyone holding the shared broker user could.
      for (const c of cases)
        await raw.publish('', system.queue('coupon'), c.body, { messageId: c.event.eventId, contentType: 'application/json', headers: c.headers });

      await waitFor(async () => (await system.count('coupon', 'dead_letters')) === cases.length, { timeoutMs: 10_000, message: 'forged events dead-lettered' });
      const rows = await system.query<any>('coupon', 'SELECT message_id, error_code, attempts, reason FROM dead_letters');
      expect(rows.map((r) => [r.message_id, r.error_code, r.attempts, r.reason]).sort()).toEqual(
        cases.map((c) => [c.event.eventId, c.code, 1, 'permanent']).sort(),
      );
      for (const c of cases) expect(await system.count('coupon', 'coupons', 'order_id = ?', [c.event.data.orderId])).toBe(0);
    });

    it('refuses to edit and re-drive a letter with 409 when this service has no key to sign the edit with', async () => {
      const [letter] = await system.query<any>('coupon', "SELECT id, message_id FROM dead_letters WHERE error_code = 'SIGNATURE_MISSING'");
      const payload = (await http(coupon, 'GET', `/dead-letters/${letter.id}/payload`, undefined, asOperator)).body;
      const refused = await http(
        coupon,
        'POST',
        `/dead-letters/${letter.id}/edit-and-redrive`,
        { payload: JSON.parse(payload.payload), comment: 'try to launder it' },
        asOperator,
      );
      expect(refused).toMatchObject({ status: 409, body: { message: expect.stringContaining('EVENT_SIGNING_KEY_ID') } });
      expect(await system.count('coupon', 'dead_letters', "id = ? AND status = 'PENDING'", [letter.id])).toBe(1);
    });

    it('re-drives a stored letter with its original signature, still valid for the unedited body', async () => {
      const { event, letter } = await publishSignedPoison(system, raw);
      expect(letter.error_code).toBe('SCHEMA_INVALID');
      expect((await http(coupon, 'POST', `/dead-letters/${letter.id}/redrive`, undefined, asOperator)).status).toBe(200);
      // Back in the dead letters for its schema again: had the signature been lost, the code would be SIGNATURE_*.
      await waitFor(async () => (await system.count('coupon', 'dead_letters', 'message_id = ?', [event.eventId])) === 2, { message: 're-driven letter back' });
      const codes = await system.query<any>('coupon', 'SELECT error_code FROM dead_letters WHERE message_id = ? ORDER BY id', [event.eventId]);
      expect(codes.map((r) => r.error_code)).toEqual(['SCHEMA_INVALID', 'SCHEMA_INVALID']);
    });
  });

  describe('with a coupon service holding a key of its own (EVENT_SIGNING_KEY_ID)', () => {
    const system = new TestSystem({ EVENT_SIGNING_KEYS: KEYS, EVENT_SIGNING_KEY_ID: KEY_ID });
    const raw = new RawPublisher();
    let coupon: RunningService;
    beforeAll(async () => {
      coupon = await system.start('coupon');
      await raw.open();
    });
    afterAll(async () => {
      await raw.close();
      await system.cleanup();
    });

    it('re-signs an edited payload, which is then granted', async () => {
      const { event, letter } = await publishSignedPoison(system, raw);
      const fixed = { ...event, data: { ...event.data, amount: '10.00' } };
      const edited = await http(
        coupon,
        'POST',
        `/dead-letters/${letter.id}/edit-and-redrive`,
        { payload: fixed, comment: 'amount had no decimals' },
        asOperator,
      );
      expect(edited).toMatchObject({ status: 200, body: { status: 'REDRIVEN' } });
      await waitFor(async () => (await system.count('coupon', 'coupons', 'order_id = ?', [event.data.orderId])) === 1, { message: 'edited event granted' });
      expect(await system.count('coupon', 'dead_letters', 'message_id = ?', [event.eventId])).toBe(1);
    });
  });

  describe('with the keys unset', () => {
    const system = new TestSystem();
    const raw = new RawPublisher();
    beforeAll(async () => {
      await system.start('coupon');
      await raw.open();
    });
    afterAll(async () => {
      await raw.close();
      await system.cleanup();
    });

    it('grants an unsigned schema-valid event, as before', async () => {
      const event = paymentEvent({ userId: 'unsigned-user' });
      await raw.publish('', system.queue('coupon'), JSON.stringify(event), { messageId: event.eventId, contentType: 'application/json' });
      await waitFor(async () => (await system.count('coupon', 'coupons', 'order_id = ?', [event.data.orderId])) === 1, {
        timeoutMs: 10_000,
        message: 'unsigned event granted',
      });
    });
  });
});
