import { RowDataPacket } from 'mysql2/promise';
import { randomUUID } from 'node:crypto';
import { createHmac } from 'node:crypto';
import { ConfigError } from '@reliable-payments/config';
import { loadCouponServiceConfig } from '../apps/coupon-service/src/coupon-service.app';
import { paymentEvent, RawPublisher, systemWithPublisher } from './support/raw-publisher';
import { asOperator, http, RunningService, TEST_OPERATOR_TOKEN, TestSystem } from './support/test-system';
import { waitFor } from './support/wait-for';
import { WebhookSink } from './support/webhook-sink';

/**
 * The operator side attacked the way a hostile client or publisher would: each case here failed
 * on the code before the operator work (issue 10), and each names the finding it covers.
 */

async function deadLetterHandler(coupon: RunningService) {
  const health = await http(coupon, 'GET', '/health');
  return { status: health.status, body: health.body, dlq: health.body.checks.consumers.find((c: { role: string }) => c.role === 'dead-letters') };
}

/** Publishes a valid event straight to the DLQ as if its retries had run out. */
function exhaustedLetter(raw: RawPublisher, system: TestSystem) {
  const event = paymentEvent();
  return raw.publish('', `${system.queue('coupon')}.dlq`, JSON.stringify(event), {
    messageId: event.eventId,
    contentType: 'application/json',
    headers: { 'retry-attempts': 3, 'dead-letter-reason': 'retries-exhausted', 'dead-letter-id': randomUUID(), 'last-error-code': 'DB_UNAVAILABLE' },
  });
}

describe('hostile input against the operator side', () => {
  describe('the operator API', () => {
    describe('without OPERATOR_TOKEN', () => {
      const system = new TestSystem({ OPERATOR_TOKEN: '' });
      afterAll(() => system.cleanup());

      it('is closed: every operator route answers 403 "operator API disabled", even with a bearer token', async () => {
        const coupon = await system.start('coupon');
        for (const [method, path] of [
          ['GET', '/dead-letters'],
          ['GET', '/dead-letters/1'],
          ['GET', '/dead-letters/1/payload'],
          ['POST', '/dead-letters/redrive'],
          ['POST', '/dead-letters/1/redrive'],
          ['GET', '/chaos'],
          ['POST', '/chaos/db'],
          ['DELETE', '/chaos/db'],
        ]) {
          const res = await http(coupon, method, path, undefined, asOperator);
          expect({ path, status: res.status, message: res.body.message }).toEqual({
            path,
            status: 403,
            message: expect.stringContaining('operator API disabled'),
          });
        }
        expect((await http(coupon, 'GET', '/health')).status).toBe(200);
      });
    });

    describe('with OPERATOR_TOKEN', () => {
      const system = new TestSystem();
      afterAll(() => system.cleanup());

      it('refuses a missing, wrong or malformed token with 401 and a JSON message, and takes the right one', async () => {
        const coupon = await system.start('coupon');
        const attempts: Array<Record<string, string>> = [
          {},
          { authorization: 'Bearer wrong-token-of-some-length' },
          { authorization: `Basic ${TEST_OPERATOR_TOKEN}` },
          { authorization: `Bearer ${TEST_OPERATOR_TOKEN.slice(0, -1)}` },
          { 'x-chaos-token': TEST_OPERATOR_TOKEN },
        ];
        for (const headers of attempts) {
          for (const [method, path] of [
            ['GET', '/dead-letters'],
            ['POST', '/dead-letters/redrive'],
            ['GET', '/chaos'],
          ]) {
            const res = await http(coupon, method, path, undefined, headers);
            expect({ headers, path, res: { status: res.status, error: res.body.error } }).toEqual({
              headers,
              path,
              res: { status: 401, error: 'Unauthorized' },
            });
          }
        }
        expect((await http(coupon, 'GET', '/dead-letters', undefined, asOperator)).status).toBe(200);
      });

      it("lists grants of one order or one user only, never everybody's", async () => {
        const { coupon, redPacket } = await system.startAll();
        for (const [service, path] of [
          [coupon, '/coupons'],
          [redPacket, '/red-packets'],
        ] as const) {
          const all = await http(service, 'GET', path);
          expect(all).toMatchObject({ status: 400, body: { error: 'Bad Request', message: expect.stringContaining('orderId or userId is required') } });
          expect((await http(service, 'GET', `${path}?userId=`)).status).toBe(400);
          expect(await http(service, 'GET', `${path}?userId=nobody-here`)).toMatchObject({ status: 200, body: [] });
        }
      });
    });

    it('chaos does not start without the operator token (no fail-open)', () => {
      let error: unknown;
      try {
        loadCouponServiceConfig({ CHAOS_ENABLED: 'true' });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([expect.stringMatching(/^OPERATOR_TOKEN: required when CHAOS_ENABLED=true/)]);
    });
  });

  describe('crafted headers on the dead-letter queue', () => {
    const { system, raw } = systemWithPublisher();

    it('stores every letter, each value clamped to its column, without stalling the handler', async () => {
      const coupon = await system.start('coupon');
      const dlq = `${system.queue('coupon')}.dlq`;
      const crafted: Array<Record<string, unknown>> = [
        { 'retry-attempts': 9_999_999_999, 'dead-letter-id': randomUUID() },
        { 'dead-letter-reason': 'r'.repeat(10_000), 'dead-letter-id': randomUUID() },
        {
          'last-failed-at': '+275760-09-13T00:00:00.000Z',
          'first-failed-at': 'not a date',
          'last-error-code': 'C'.repeat(5_000),
          'last-error-class': 'x'.repeat(100),
        },
        {
          'original-queue': 'q'.repeat(2_000),
          'last-error': 'e\n'.repeat(2_000),
          junk1: 'j'.repeat(24_000),
          junk2: 'k'.repeat(24_000),
          authorization: 'Bearer upstream-secret',
        },
      ];
      for (const [i, headers] of crafted.entries()) {
        await raw.publish('', dlq, `{"crafted":${i}}`, { messageId: i === 0 ? 'x'.repeat(255) : `crafted-${i}`, contentType: 'application/json', headers });
      }
      await waitFor(async () => (await system.count('coupon', 'dead_letters')) === crafted.length, {
        timeoutMs: 15_000,
        message: 'all crafted letters stored',
      });
      await waitFor(async () => (await raw.queueDepth(dlq)) === 0, { message: 'DLQ drained' });

      const rows = await system.query<any>(
        'coupon',
        'SELECT attempts, reason, error_code, error_class, last_failed_at, original_queue, CHAR_LENGTH(headers) AS headers_chars FROM dead_letters ORDER BY id',
      );
      expect(rows[0].attempts).toBe(2_147_483_647);
      expect(rows[1].reason.length).toBeLessThanOrEqual(32);
      expect(rows[2]).toMatchObject({ last_failed_at: null });
      expect(rows[2].error_code.length).toBeLessThanOrEqual(64);
      expect(rows[3].headers_chars).toBeLessThanOrEqual(64 * 1024);
      expect(rows.every((r) => r.reason !== 'unstorable')).toBe(true);

      const handler = await deadLetterHandler(coupon);
      expect(handler.status).toBe(200);
      expect(handler.dlq).toMatchObject({ state: 'consuming', consecutiveFailures: 0, pauses: 0 });

      // The listing shows the project's own headers only: an upstream authorization header stays in the row.
      const list = await http(coupon, 'GET', '/dead-letters', undefined, asOperator);
      expect(JSON.stringify(list.body)).not.toContain('upstream-secret');
      expect(JSON.stringify(list.body)).not.toContain('junk1');
    });
  });

  describe('a letter the database refuses', () => {
    const { system, raw } = systemWithPublisher();

    it('is stored as a stub (never retried in a loop, never dropped); while even that fails, /health says 503 naming the handler', async () => {
      const coupon = await system.start('coupon');
      const dlq = `${system.queue('coupon')}.dlq`;
      // A rule of the database's that a header value breaks, the way an out-of-range value did.
      await system.query('coupon', "ALTER TABLE dead_letters ADD CONSTRAINT e2e_refuse CHECK (error_code <> 'E2E_REFUSED')");
      await raw.publish('', dlq, '{"refused":1}', { messageId: 'refused-1', headers: { 'last-error-code': 'E2E_REFUSED', 'dead-letter-id': randomUUID() } });
      await waitFor(async () => (await system.count('coupon', 'dead_letters')) === 1, { message: 'stub stored' });
      const [stub] = await system.query<any>('coupon', 'SELECT id, reason, error_code, message_id, LENGTH(payload) AS stored FROM dead_letters');
      expect(stub).toMatchObject({ reason: 'unstorable', error_code: 'UNSTORABLE', message_id: 'refused-1', stored: 0 });
      expect((await http(coupon, 'POST', `/dead-letters/${stub.id}/redrive`, undefined, asOperator)).status).toBe(409);
      expect((await deadLetterHandler(coupon)).status).toBe(200);

      // Now the stub is refused as well: the handler holds the letter, backs off, and health says so.
      await system.query('coupon', "ALTER TABLE dead_letters ADD CONSTRAINT e2e_refuse_stub CHECK (message_id <> 'refused-2')");
      await raw.publish('', dlq, '{"refused":2}', { messageId: 'refused-2', headers: { 'last-error-code': 'E2E_REFUSED', 'dead-letter-id': randomUUID() } });
      const unhealthy = await waitFor(
        async () => {
          const h = await deadLetterHandler(coupon);
          return h.status === 503 ? h : undefined;
        },
        { message: '503 while letters cannot be stored' },
      );
      expect(unhealthy.body.message).toContain('dead-letter handler');
      const pausesWhileRefused = (await deadLetterHandler(coupon)).dlq.pauses;

      // The database accepts again: the held letter is stored (as a stub) and health recovers.
      await system.query('coupon', 'ALTER TABLE dead_letters DROP CONSTRAINT e2e_refuse_stub');
      await waitFor(async () => (await system.count('coupon', 'dead_letters')) === 2, { timeoutMs: 30_000, message: 'held letter stored' });
      await waitFor(async () => (await deadLetterHandler(coupon)).status === 200, { message: 'healthy again' });
      expect(await raw.queueDepth(dlq)).toBe(0);
      // Backed off, not a loop every 0.5 s.
      expect(pausesWhileRefused).toBeLessThan(8);
    });
  });

  describe('bulk re-drive', () => {
    const system = new TestSystem({ RETRY_LADDER: '200ms', ALERT_WINDOW: '2s', ALERT_BURST: '3' });
    const raw = new RawPublisher();
    const sink = new WebhookSink();
    let coupon: RunningService;
    const secret = 'e2e-webhook-secret-0123';
    beforeAll(async () => {
      await raw.open();
      const url = await sink.start();
      coupon = await system.start('coupon', { ALERT_WEBHOOK_URL: url, ALERT_WEBHOOK_SECRET: secret });
    });
    afterAll(async () => {
      await raw.close();
      await sink.stop();
      await system.cleanup();
    });

    it('leaves poison alone by default, and never feeds on its own output when asked to include it', async () => {
      const poison = 40;
      for (let i = 0; i < poison; i++)
        await raw.publish('', system.queue('coupon'), `not json ${i}`, { messageId: `poison-${i}`, contentType: 'application/json' });
      await waitFor(async () => (await system.count('coupon', 'dead_letters')) === poison, { message: 'poison stored' });

      const byDefault = await http(coupon, 'POST', '/dead-letters/redrive', undefined, asOperator);
      expect(byDefault).toMatchObject({ status: 200, body: { redriven: 0, skipped: poison, failed: 0, errors: [] } });

      const limited = await http(coupon, 'POST', '/dead-letters/redrive', { includePoison: true, limit: 5 }, asOperator);
      expect(limited.body).toMatchObject({ redriven: 5, failed: 0 });
      // Each re-driven poison letter fails again at once and comes back as a new pending row.
      await waitFor(async () => (await system.count('coupon', 'dead_letters')) === poison + 5, { message: 'the five came back' });

      // The call re-drives only the letters pending when it began (35 old, 5 back), not the ones
      // its own re-drives produce while it runs.
      const all = await http(coupon, 'POST', '/dead-letters/redrive', { includePoison: true, limit: 1000 }, asOperator);
      expect(all.body).toMatchObject({ redriven: poison, failed: 0 });
      await waitFor(async () => (await system.count('coupon', 'dead_letters')) === 2 * poison + 5, { message: 'the re-driven letters came back once each' });
      await waitFor(async () => (await raw.queueDepth(system.queue('coupon'))) === 0 && (await raw.queueDepth(`${system.queue('coupon')}.dlq`)) === 0);
      expect(await system.count('coupon', 'dead_letters')).toBe(2 * poison + 5);
      expect(await system.count('coupon', 'dead_letters', "status = 'PENDING'")).toBe(poison);

      expect((await http(coupon, 'POST', '/dead-letters/redrive', { limit: 5000 }, asOperator)).status).toBe(400);
      expect((await http(coupon, 'POST', '/dead-letters/redrive', { includePoison: 'yes' }, asOperator)).status).toBe(400);
    });

    it('turns a flood of dead letters into a few signed alerts and one summary', async () => {
      // 80 letters were stored in the test above, in well under a window: burst 3, then summaries.
      await waitFor(() => sink.received.some((a) => a.body.alert === 'dead_letter_summary'), { timeoutMs: 10_000, message: 'a summary alert' });
      const letters = sink.received.filter((a) => a.body.alert === 'dead_letter');
      const summarised = sink.received.filter((a) => a.body.alert === 'dead_letter_summary').reduce((n, a) => n + Number(a.body.suppressed), 0);
      expect(letters.length).toBeLessThan(20);
      expect(letters.length + summarised).toBeGreaterThanOrEqual(60);
      for (const alert of sink.received) {
        const timestamp = String(alert.headers['x-alert-timestamp']);
        const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${alert.raw}`).digest('hex')}`;
        expect(alert.headers['x-alert-signature']).toBe(expected);
      }
    });

    it('lets concurrent calls re-drive each letter once: no double publish', async () => {
      await system.query('coupon', 'DELETE FROM dead_letters');
      const letters = 30;
      for (let i = 0; i < letters; i++) await exhaustedLetter(raw, system);
      await waitFor(async () => (await system.count('coupon', 'dead_letters')) === letters, { message: 'exhausted letters stored' });
      const before = (await http(coupon, 'GET', '/health')).body.checks.consumers.find((c: { role: string }) => c.role === 'events');

      const results = await Promise.all(Array.from({ length: 4 }, () => http(coupon, 'POST', '/dead-letters/redrive', {}, asOperator)));
      expect(results.every((r) => r.status === 200)).toBe(true);
      expect(results.reduce((n, r) => n + r.body.redriven, 0)).toBe(letters);
      expect(results.reduce((n, r) => n + r.body.failed, 0)).toBe(0);

      await waitFor(async () => (await system.count('coupon', 'coupons')) === letters, { message: 'one coupon per re-driven letter' });
      // /health's processed count can lag the coupon row a moment (29 of 30 once, in a full run beside a build).
      const events = async () => (await http(coupon, 'GET', '/health')).body.checks.consumers.find((c: { role: string }) => c.role === 'events');
      await waitFor(async () => (await events()).processed - before.processed >= letters, { message: 'all counted' });
      const after = await events();
      expect(after.processed - before.processed).toBe(letters);
      expect(after.duplicates - before.duplicates).toBe(0);
      expect(await system.count('coupon', 'dead_letters', "status = 'REDRIVEN'")).toBe(letters);
    });

    // Issue 20, item 9: the poison filter trusted the `dead-letter-reason` header. A letter planted
    // in the DLQ with a made-up reason was re-driven by a plain bulk re-drive.
    it('re-drives by default only what the service classified as exhausted when it stored it (an allow-list, not a header)', async () => {
      await system.query('coupon', 'DELETE FROM dead_letters');
      const granted = await system.count('coupon', 'coupons');
      const event = paymentEvent();
      await raw.publish('', `${system.queue('coupon')}.dlq`, JSON.stringify(event), {
        messageId: event.eventId,
        contentType: 'application/json',
        headers: { 'dead-letter-reason': 'totally-fine', 'dead-letter-id': randomUUID(), 'last-error-code': 'DB_UNAVAILABLE' },
      });
      await waitFor(async () => (await system.count('coupon', 'dead_letters')) === 1, { message: 'planted letter stored' });

      const plain = await http(coupon, 'POST', '/dead-letters/redrive', {}, asOperator);
      expect(plain).toMatchObject({ status: 200, body: { redriven: 0, skipped: 1, failed: 0 } });
      expect(await system.count('coupon', 'dead_letters', "status = 'PENDING'")).toBe(1);
      expect(await system.count('coupon', 'coupons')).toBe(granted);
      // An operator who looked at it can still send it on purpose.
      const [{ id }] = await system.query<RowDataPacket & { id: number }>('coupon', 'SELECT id FROM dead_letters');
      expect((await http(coupon, 'POST', `/dead-letters/${id}/redrive`, undefined, asOperator)).status).toBe(200);
      await waitFor(async () => (await system.count('coupon', 'coupons')) === granted + 1, { message: 'granted after the deliberate re-drive' });
    });
  });

  describe('4 MB letters', () => {
    const { system, raw } = systemWithPublisher();

    it('are listed without payloads; the payload has its own route; a truncated one is not re-driven', async () => {
      const coupon = await system.start('coupon');
      const big = Buffer.alloc(5 * 1024 * 1024, 'a');
      for (let i = 0; i < 3; i++) {
        await raw.publish('', `${system.queue('coupon')}.dlq`, big, {
          messageId: `big-${i}`,
          headers: { 'dead-letter-reason': 'permanent', 'dead-letter-id': randomUUID() },
        });
      }
      await waitFor(async () => (await system.count('coupon', 'dead_letters')) === 3, { timeoutMs: 30_000, message: 'big letters stored' });

      const list = await http(coupon, 'GET', '/dead-letters?limit=100', undefined, asOperator);
      expect(list.body.items).toHaveLength(3);
      expect(JSON.stringify(list.body).length).toBeLessThan(20_000);
      expect(list.body.items[0]).not.toHaveProperty('payload');
      expect(list.body.items[0]).toMatchObject({ payloadBytes: big.length, redrivable: false });
      expect((await http(coupon, 'GET', '/dead-letters?limit=101', undefined, asOperator)).status).toBe(400);

      const id = list.body.items[0].id;
      const payload = await http(coupon, 'GET', `/dead-letters/${id}/payload`, undefined, asOperator);
      expect(payload.body).toMatchObject({ payloadBytes: big.length, storedBytes: 4 * 1024 * 1024, payloadEncoding: 'utf8' });
      const redrive = await http(coupon, 'POST', `/dead-letters/${id}/redrive`, undefined, asOperator);
      expect(redrive).toMatchObject({ status: 409, body: { message: expect.stringContaining('truncated') } });
      expect((await http(coupon, 'POST', '/dead-letters/redrive', { includePoison: true }, asOperator)).body).toMatchObject({ redriven: 0, skipped: 3 });
    });
  });
});
