import { ConsoleLogger, INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { RowDataPacket } from 'mysql2/promise';
import { paymentEvent, RawPublisher } from '../support/raw-publisher';
import { http, RunningService, TestSystem } from '../support/test-system';
import { waitFor } from '../support/wait-for';
import { consoleApi, OPERATOR_TOKEN, startTestConsole } from './console-harness';

/** Keeps the console guard's and audit's lines (what an operator's log would show). */
class CapturingLogger extends ConsoleLogger {
  readonly lines: string[] = [];
  override log(message: unknown, context?: string) {
    if (context === 'ConsoleOperator' || context === 'ConsoleAudit') this.lines.push(`${context}: ${String(message)}`);
  }
  override warn(message: unknown, context?: string) {
    if (context === 'ConsoleOperator' || context === 'ConsoleAudit') this.lines.push(`${context}: ${String(message)}`);
  }
}

const REFUSED = 'missing or wrong operator token (sign in, or send Authorization: Bearer <token>)';

/** The first snapshot event of /api/stream, read from fetch()'s body (Node has no EventSource). */
async function firstStreamEvent(url: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(`${url}/api/stream`, { headers });
  const reader = response.body!.getReader();
  let text = '';
  while (!/\ndata: .*\n\n/.test(text)) text += new TextDecoder().decode((await reader.read()).value);
  await reader.cancel();
  return /\ndata: (.*)\n/.exec(text)![1];
}

async function signIn(url: string, token: string, headers: Record<string, string> = {}): Promise<{ status: number; cookie: string | null; body: any }> {
  const response = await fetch(`${url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ token }),
  });
  return { status: response.status, cookie: response.headers.get('set-cookie'), body: await response.json() };
}

/**
 * Issue 21's security findings on the console, each as the attacker on the same machine tried
 * it: anonymous viewers read operator data; the guards disagreed; sign-in had no limit and no
 * record; the guard logged every read; the cookie was never Secure; headers were missing.
 */
describe('console security', () => {
  const alice = `alice-token-${randomUUID()}`;
  const system = new TestSystem({ CHAOS_ENABLED: 'true', OPERATOR_TOKENS: `alice:${alice}` });
  const raw = new RawPublisher();
  const logger = new CapturingLogger({ logLevels: ['fatal'] });
  let services: { order: RunningService; coupon: RunningService; redPacket: RunningService };
  let console: { app: INestApplication; url: string };
  let letterId: string;
  let poisonEventId: string;
  let paidOrderId: string;

  beforeAll(async () => {
    await raw.open();
    services = await system.startAll();
    console = await startTestConsole(
      system,
      { order: services.order.url, coupon: services.coupon.url, redPacket: services.redPacket.url },
      '200ms',
      { OPERATOR_TOKENS: `alice:${alice}` },
      logger,
    );
    // Something identifying to leak: a paid order, a poison letter, a chaos fault.
    const paid = await consoleApi(console.url, 'POST', '/api/actions/pay', { count: 1 }, true);
    paidOrderId = paid.body.orderIds[0];
    const poison = paymentEvent({ amount: '10' });
    poisonEventId = poison.eventId;
    await raw.publish('', system.queue('coupon'), JSON.stringify(poison), { messageId: poison.eventId, contentType: 'application/json' });
    await waitFor(async () => (await system.count('coupon', 'dead_letters', 'message_id = ?', [poison.eventId])) === 1, { message: 'poison stored' });
    const [row] = await system.query<RowDataPacket & { id: number }>('coupon', 'SELECT id FROM dead_letters WHERE message_id = ?', [poison.eventId]);
    letterId = String(row.id);
    expect((await consoleApi(console.url, 'POST', '/api/actions/chaos/red-packet-service', { mode: 'slow', latencyMs: 1 }, true)).status).toBe(200);
    await waitFor(
      async () => {
        const { body } = await consoleApi(console.url, 'GET', '/api/snapshot', undefined, true);
        return body.deadLetterRows?.['coupon-service']?.length === 1 && body.ledger.paid === 1 && body.consumers['red-packet-service'].chaos?.mode === 'slow';
      },
      { message: 'the letter, the order and the fault in the snapshot' },
    );
  });
  afterAll(async () => {
    await console?.app.close();
    await raw.close();
    await system.cleanup();
  });

  it('anonymous viewers of /api/snapshot, /api/stream and /api/ledger get the counts, nothing identifying, no chaos detail', async () => {
    const full = (await consoleApi(console.url, 'GET', '/api/snapshot', undefined, true)).body;
    const errorCode = full.deadLetterRows['coupon-service'][0].errorCode;
    expect(errorCode).toMatch(/\w+/);
    // Ids of letters are small numbers: look for the keys that carry them instead.
    const secrets = [
      poisonEventId,
      paidOrderId,
      errorCode,
      '"id"',
      '"messageId"',
      '"sampleId"',
      'chaos',
      'deadLetterRows',
      'recentOrders',
      'named',
      'groups',
      'problem',
      'lastError',
    ];
    const anonymous = await consoleApi(console.url, 'GET', '/api/snapshot');
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).toMatchObject({ signedIn: false, ledger: { paid: 1, lost: 0, duplicated: 0 } });
    expect(anonymous.body.consumers['coupon-service'].deadLetters).toEqual({ owed: expect.any(Number), discarded: 0, pending: 1 });
    const stream = await firstStreamEvent(console.url);
    const ledger = JSON.stringify((await consoleApi(console.url, 'GET', '/api/ledger')).body);
    for (const text of [JSON.stringify(anonymous.body), stream, ledger]) {
      for (const secret of secrets) expect({ secret, leaked: text.includes(secret) }).toEqual({ secret, leaked: false });
    }
    // An operator (Bearer, or a session) gets the whole snapshot.
    expect(full.signedIn).toBe(true);
    expect(full.deadLetterRows['coupon-service'][0].id).toBe(letterId);
    expect(full.consumers['red-packet-service'].chaos.mode).toBe('slow');
    expect(full.load.recentOrders).toContain(paidOrderId);
    const session = await signIn(console.url, alice);
    const cookie = session.cookie!.split(';')[0];
    expect(await firstStreamEvent(console.url, { cookie })).toContain(letterId);
    // An order's story names its event and letters: operators only.
    expect((await consoleApi(console.url, 'GET', `/api/orders/${paidOrderId}/timeline`)).status).toBe(401);
    expect((await consoleApi(console.url, 'GET', `/api/orders/${paidOrderId}/timeline`, undefined, true)).status).toBe(200);
    // A wrong Bearer token is an anonymous viewer, not an operator.
    expect((await consoleApi(console.url, 'GET', '/api/snapshot', undefined, 'wrong-token-wrong-token')).body.signedIn).toBe(false);
  });

  it('one guard rule with the services: Bearer in any case with spaces, 16–256 printable, one message', async () => {
    for (const header of [`Bearer ${OPERATOR_TOKEN}`, `bearer ${OPERATOR_TOKEN}`, `BEARER   ${OPERATOR_TOKEN}`]) {
      expect((await consoleApi(console.url, 'GET', '/api/dead-letters/groups', undefined, false, { authorization: header })).status).toBe(200);
      expect((await http(services.coupon, 'GET', '/dead-letters/groups', undefined, { authorization: header })).status).toBe(200);
    }
    for (const header of [`Basic ${OPERATOR_TOKEN}`, 'Bearer', `Bearer ${OPERATOR_TOKEN} x`]) {
      const fromConsole = await consoleApi(console.url, 'GET', '/api/dead-letters/groups', undefined, false, { authorization: header });
      const fromService = await http(services.coupon, 'GET', '/dead-letters/groups', undefined, { authorization: header });
      expect({ console: [fromConsole.status, fromConsole.body.message], service: [fromService.status, fromService.body.message] }).toEqual({
        console: [401, REFUSED],
        service: [401, REFUSED],
      });
    }
    // A 600-character token is too long, not missing.
    expect(await signIn(console.url, 'x'.repeat(600))).toMatchObject({ status: 400, body: { message: 'token: must be at most 256 characters' } });
    expect(await signIn(console.url, '')).toMatchObject({ status: 400, body: { message: 'token: is required' } });
    // A named operator signs in under their name.
    expect(await signIn(console.url, alice)).toMatchObject({ status: 200, body: { signedIn: true, operator: 'alice' } });
  });

  it("forwards the signed-in operator's own token, so the service's audit trail names them", async () => {
    const { cookie } = await signIn(console.url, alice);
    const response = await fetch(`${console.url}/api/dead-letters/coupon-service/${letterId}/discard`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: cookie!.split(';')[0] },
      body: JSON.stringify({ comment: 'planted by the security test' }),
    });
    expect(response.status).toBe(200);
    const trail = (await consoleApi(console.url, 'GET', '/api/operator-actions?limit=20', undefined, alice)).body.items;
    expect(trail).toContainEqual(
      expect.objectContaining({
        source: 'coupon-service',
        operator: 'alice',
        action: 'discard',
        target: `dead-letter ${letterId}`,
        comment: 'planted by the security test',
      }),
    );
    expect(trail).toContainEqual(expect.objectContaining({ source: 'console', operator: 'alice', action: 'sign-in' }));
  });

  it('logs actions, not reads: polling the operator routes writes no line', async () => {
    logger.lines.length = 0;
    for (let i = 0; i < 5; i++) {
      expect((await consoleApi(console.url, 'GET', '/api/dead-letters/groups', undefined, true)).status).toBe(200);
      expect((await consoleApi(console.url, 'GET', '/api/operator-actions', undefined, true)).status).toBe(200);
    }
    expect(logger.lines).toEqual([]);
    expect((await consoleApi(console.url, 'DELETE', '/api/actions/chaos/red-packet-service', undefined, true)).status).toBe(200);
    expect(logger.lines).toEqual(['ConsoleOperator: operator operator: DELETE /api/actions/chaos/red-packet-service']);
  });

  it('sends the page policy without unsafe-inline, and nosniff on every response', async () => {
    const page = await fetch(console.url);
    const policy = page.headers.get('content-security-policy')!;
    expect(policy).toBe("default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
    expect(policy).not.toContain('unsafe');
    const html = await page.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/); // no inline script
    expect(html).not.toMatch(/<style|\sstyle=/); // no inline style
    for (const path of ['/', '/api/ledger', '/assets/console.js', '/assets/console.css', '/no-such-route', '/api/session']) {
      const response = await fetch(`${console.url}${path}`);
      expect({ path, nosniff: response.headers.get('x-content-type-options') }).toEqual({ path, nosniff: 'nosniff' });
    }
    expect((await fetch(`${console.url}/assets/console.css`)).headers.get('content-type')).toContain('text/css');
    expect((await fetch(`${services.coupon.url}/health`)).headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('console sign-in: limit, record, Secure cookie', () => {
  const system = new TestSystem();
  let console: { app: INestApplication; url: string };
  let proxied: { app: INestApplication; url: string };
  const urls = { order: 'http://127.0.0.1:9', coupon: 'http://127.0.0.1:9', redPacket: 'http://127.0.0.1:9' };

  beforeAll(async () => {
    console = await startTestConsole(system, urls, '5s');
    proxied = await startTestConsole(system, urls, '5s', { CONSOLE_TRUST_PROXY: 'true' });
  });
  afterAll(async () => {
    await console?.app.close();
    await proxied?.app.close();
    await system.cleanup();
  });

  it('sets Secure on the session cookie over HTTPS behind a trusted proxy, and only then', async () => {
    const https = { 'x-forwarded-proto': 'https' };
    expect((await signIn(proxied.url, OPERATOR_TOKEN, https)).cookie).toMatch(/; Secure$/);
    expect((await signIn(proxied.url, OPERATOR_TOKEN)).cookie).not.toContain('Secure');
    expect((await signIn(console.url, OPERATOR_TOKEN, https)).cookie).not.toContain('Secure'); // an untrusted header is anyone's
  });

  it('limits failed sign-ins per client, and records sign-ins and failures in the audit trail', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await signIn(console.url, `wrong-token-${i}-0123456789`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    const limited = await fetch(`${console.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: OPERATOR_TOKEN }),
    });
    expect(limited.status).toBe(429); // while limited, even the right token waits: a guesser cannot tell a hit
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    const trail = (await consoleApi(console.url, 'GET', '/api/operator-actions?limit=50', undefined, true)).body.items.filter(
      (i: any) => i.source === 'console',
    );
    const actions = trail.map((i: any) => i.action);
    expect(actions.filter((a: string) => a === 'sign-in-failed')).toHaveLength(5);
    expect(actions.filter((a: string) => a === 'sign-in-limited').length).toBeGreaterThanOrEqual(3);
    expect(actions).toContain('sign-in');
    expect(JSON.stringify(trail)).not.toContain('wrong-token-'); // never the presented token
  });
});
