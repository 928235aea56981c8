import { INestApplication } from '@nestjs/common';
import { connect, ChannelModel, ConfirmChannel, GetMessage } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { PaymentSucceededV1 } from '@reliable-payments/contracts';
import { RunningService, TestSystem } from '../support/test-system';
import { waitFor } from '../support/wait-for';
import { testAmqpUrl } from '../../tools/harness/test-servers';
import { consoleApi, freePort, startTestConsole } from './console-harness';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join(__dirname, '../../docs/images');
// Without the networking flags Chromium tries hosts it cannot reach (see ../shared/FACTS.md).
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

// Markup and quotes a publisher controls, in the payload, the error and the headers.
const SCRIPT = '<script>window.__xss = 1</script>';
const IMG = `<img src=x onerror="window.__xss='img'">`;
const QUOTES = `"'\`</td></tr>`;

/**
 * Issue 21 in a real browser (Debian's Chromium through playwright-core): the dead-letters view.
 * Six paid orders whose coupon events are turned into three failure groups: one hostile poison
 * letter (markup in payload, error and headers), one plain poison letter, four letters of an
 * outage. An operator named alice signs in, sees the hostile letter as text (nothing runs), edits
 * it into a valid event and retries it, discards the other poison with a comment, re-drives the
 * outage group with a paced job and watches its progress bar finish; the audit trail names alice
 * for all three; the ledger ends exact: 6 paid = 5 granted + 1 discarded, lost 0, duplicated 0.
 */
describe('console dead-letters view in a browser', () => {
  const alice = `alice-token-${randomUUID()}`;
  const system = new TestSystem({ OPERATOR_TOKENS: `alice:${alice}` });
  let couponPort: number;
  let services: { order: RunningService; coupon: RunningService; redPacket: RunningService };
  let console: { app: INestApplication; url: string };
  let amqp: ChannelModel;
  let channel: ConfirmChannel;
  let userDataDir: string;
  let context: BrowserContext;
  let page: Page;
  const dialogs: string[] = [];
  let policy: string | undefined;

  // The overview and the audit as whole pages; a letter, an edit and a job as the dead-letters panel alone.
  const shot = (name: string, part?: string) =>
    part
      ? page.locator(part).screenshot({ path: join(SHOTS, `console-dead-letters${name}.png`) })
      : page.screenshot({ path: join(SHOTS, `console-dead-letters${name}.png`), fullPage: true });
  const ledger = async () => (await consoleApi(console.url, 'GET', '/api/ledger')).body;
  const publish = (queue: string, event: unknown, headers: Record<string, unknown>, messageId: string) =>
    new Promise<void>((resolve, reject) =>
      channel.sendToQueue(queue, Buffer.from(JSON.stringify(event)), { persistent: true, messageId, contentType: 'application/json', headers }, (error) =>
        error ? reject(error) : resolve(),
      ),
    );

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`);
    mkdirSync(SHOTS, { recursive: true });
    couponPort = await freePort();
    services = await system.startAll({ coupon: { COUPON_PORT: String(couponPort) } });
    console = await startTestConsole(system, { order: services.order.url, coupon: services.coupon.url, redPacket: services.redPacket.url }, '300ms', {
      OPERATOR_TOKENS: `alice:${alice}`,
    });
    amqp = await connect(testAmqpUrl());
    amqp.on('error', () => undefined);
    channel = await amqp.createConfirmChannel();
    channel.on('error', () => undefined);

    // Six paid orders whose coupon events wait in the queue while the coupon service is stopped.
    await services.coupon.stop();
    const queue = system.queue('coupon');
    expect((await consoleApi(console.url, 'POST', '/api/actions/pay', { count: 6 }, true)).body.paid).toBe(6);
    await waitFor(async () => (await channel.checkQueue(queue)).messageCount === 6, { timeoutMs: 20_000, message: 'six coupon events queued' });
    const messages: GetMessage[] = [];
    while (messages.length < 6) {
      const message = await channel.get(queue, { noAck: false });
      if (message) messages.push(message);
    }
    const events = messages.map((m) => JSON.parse(m.content.toString()) as PaymentSucceededV1);
    const dlq = `${queue}.dlq`;
    const failure = (reason: string, code: string, error: string) => ({
      'retry-attempts': 3,
      'dead-letter-reason': reason,
      'dead-letter-id': randomUUID(),
      'last-error-code': code,
      'last-error-class': 'permanent',
      'last-error': error,
      'original-queue': queue,
      'first-failed-at': new Date().toISOString(),
    });
    // 1. Hostile poison: markup and quotes in the payload, the error and the headers.
    const [hostile, plain, ...outage] = events;
    const hostilePayload = { ...hostile, note: SCRIPT, data: { ...hostile.data, amount: '10', userId: `${IMG}${QUOTES}`.slice(0, 64) } };
    await publish(dlq, hostilePayload, failure('poison', 'INVALID_PAYLOAD', `${SCRIPT} ${IMG} ${QUOTES}`), hostile.eventId);
    // 2. Plain poison, through the consumer's own path: it fails validation and is dead-lettered.
    await publish(queue, { ...plain, data: { ...plain.data, amount: '7' } }, {}, plain.eventId);
    // 3. Four letters of an outage, valid events: what a paced re-drive is for.
    for (const event of outage)
      await publish(
        dlq,
        event,
        { ...failure('retries-exhausted', 'DB_UNAVAILABLE', 'connect ECONNREFUSED 127.0.0.1:3306'), 'last-error-class': 'transient' },
        event.eventId,
      );
    for (const message of messages) channel.ack(message);
    await channel.waitForConfirms();

    services.coupon = await system.start('coupon', { COUPON_PORT: String(couponPort) });
    await waitFor(async () => (await system.count('coupon', 'dead_letters', "status = 'PENDING'")) === 6, { timeoutMs: 30_000, message: 'six letters stored' });
    await waitFor(async () => (await ledger()).deadLettered === 6, { timeoutMs: 20_000, message: 'the console sees six dead letters' });

    userDataDir = await mkdtemp(join(tmpdir(), 'console-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      viewport: { width: 1400, height: 1000 },
    });
    page = await context.newPage();
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  });
  afterAll(async () => {
    await context?.close();
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
    await amqp?.close().catch(() => undefined);
    await console?.app.close();
    await system.cleanup();
  });

  const groupRow = (code: string) => page.locator('[data-testid=dead-letters-coupon-service] tr', { hasText: code });
  const openLetterOf = async (code: string) => {
    await groupRow(code).locator('[data-action=open-group]').click();
    await page.waitForSelector('[data-testid=group-letters] [data-action=open-letter]');
    await page.locator('[data-testid=group-letters] [data-action=open-letter]').first().click();
    await page.waitForSelector('[data-testid=letter-payload]');
  };

  it('signs alice in by name under a policy without unsafe-inline', async () => {
    const response = await page.goto(console.url);
    policy = response?.headers()['content-security-policy'];
    expect(policy).toBe("default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
    expect(policy).not.toContain('unsafe-inline');
    expect(response?.headers()['x-content-type-options']).toBe('nosniff');
    // Anonymous: counts only, no groups.
    await page.waitForSelector('text=sign in to see the failure groups');
    expect(await page.locator('[data-testid=dead-letters-coupon-service]').count()).toBe(0);
    await page.fill('input[name=token]', alice);
    await page.click('[data-testid=sign-in] button');
    await page.waitForSelector('[data-testid=operator-name]');
    expect(await page.locator('[data-testid=operator-name]').innerText()).toBe('alice');
    await page.waitForSelector('[data-testid=dead-letters-coupon-service]');
    await waitFor(async () => (await page.locator('[data-testid=dead-letters-coupon-service] tbody tr').count()) === 3, {
      timeoutMs: 10_000,
      message: 'three failure groups',
    });
    const outage = await groupRow('DB_UNAVAILABLE').innerText();
    expect(outage).toContain('4');
    await shot('');
  });

  it('shows a hostile letter as text: payload, error and headers run nothing', async () => {
    await openLetterOf('INVALID_PAYLOAD');
    expect(await page.locator('[data-testid=letter-payload]').innerText()).toContain(SCRIPT);
    expect(await page.locator('[data-testid=letter-payload]').innerText()).toContain('<img src=x onerror=');
    expect(await page.locator('[data-testid=letter-error]').innerText()).toContain(`${SCRIPT} ${IMG} ${QUOTES}`);
    expect(await page.locator('[data-testid=letter-headers]').innerText()).toContain(IMG);
    // Nothing ran and nothing was parsed as markup: no global set, no dialog, no <img src=x>, one script (the bundle).
    expect(await page.evaluate('window.__xss')).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(1);
    await shot('-letter', '#dead-letters-view');
  });

  it('edits the poison payload, showing the contract error before sending, and retries it', async () => {
    const editor = page.locator('[data-testid=edit-payload]');
    const problems = page.locator('[data-testid=edit-error]');
    const button = page.locator('[data-action=edit-letter]');
    // As stored: the contract's errors, and the button off.
    await waitFor(async () => (await problems.innerText()).includes('payload.data.amount'), { timeoutMs: 5_000, message: 'contract error shown' });
    expect(await button.isDisabled()).toBe(true);
    await editor.fill('{ not json');
    await waitFor(async () => (await problems.innerText()).includes('not JSON'), { timeoutMs: 5_000, message: 'JSON error shown' });
    const stored = JSON.parse(await page.locator('[data-testid=letter-payload]').innerText());
    const fixed = { ...stored, data: { ...stored.data, amount: '10.00' } };
    delete fixed.note; // the stray field the contract refuses
    await editor.fill(JSON.stringify({ ...fixed, data: { ...fixed.data, amount: '10' } }, null, 2));
    await waitFor(async () => (await problems.innerText()).includes('payload.data.amount'), { timeoutMs: 5_000, message: 'amount error shown' });
    await editor.fill(JSON.stringify(fixed, null, 2));
    await waitFor(async () => (await problems.innerText()) === '' && !(await button.isDisabled()), { timeoutMs: 5_000, message: 'valid edit accepted' });
    await shot('-edit', '#dead-letters-view');
    await page.fill('[data-testid=edit-comment]', 'amount had no decimals; dropped the stray note');
    await button.click();
    await waitFor(async () => (await ledger()).granted.coupons === 1, { timeoutMs: 20_000, message: 'the edited event granted' });
    expect(await page.evaluate('window.__xss')).toBeUndefined();
  });

  it('discards the other poison letter with a comment', async () => {
    await waitFor(async () => (await page.locator('[data-testid=dead-letters-coupon-service] tbody tr').count()) === 2, {
      timeoutMs: 10_000,
      message: 'two groups left',
    });
    const poison = page.locator('[data-testid=dead-letters-coupon-service] tbody tr').filter({ hasNotText: 'DB_UNAVAILABLE' });
    await poison.locator('[data-action=open-group]').click();
    await page.waitForSelector('[data-testid=group-letters] [data-action=open-letter]');
    await page.locator('[data-testid=group-letters] [data-action=open-letter]').first().click();
    await page.waitForSelector('[data-testid=discard-comment]');
    await page.click('[data-action=discard-letter]'); // no comment: refused in the page
    await page.waitForSelector('text=A discard needs a comment');
    await page.fill('[data-testid=discard-comment]', 'refunded by support, ticket 4711');
    await page.click('[data-action=discard-letter]');
    await waitFor(async () => (await ledger()).discarded === 1, { timeoutMs: 20_000, message: 'discarded counted' });
  });

  it('re-drives the outage group with a paced job and shows its progress to the end', async () => {
    await waitFor(async () => (await page.locator('[data-testid=dead-letters-coupon-service] tbody tr').count()) === 1, {
      timeoutMs: 10_000,
      message: 'one group left',
    });
    const row = groupRow('DB_UNAVAILABLE');
    await row.locator('[data-role=rate]').fill('2');
    await row.locator('[data-action=paced-redrive]').click();
    const job = page.locator('#jobs [data-job]');
    await job.waitFor();
    await waitFor(async () => (await job.getAttribute('data-status')) === 'running' && Number(await job.locator('progress').getAttribute('value')) >= 1, {
      timeoutMs: 10_000,
      message: 'job under way',
    });
    await shot('-paced-job', '#dead-letters-view');
    await waitFor(async () => (await job.getAttribute('data-status')) === 'done', { timeoutMs: 30_000, message: 'job done' });
    const progress = job.locator('progress');
    expect([await progress.getAttribute('value'), await progress.getAttribute('max')]).toEqual(['4', '4']);
    expect(await job.innerText()).toContain('4 re-driven');
  });

  it('lists the three actions under alice in the audit trail, and the ledger is exact', async () => {
    await page.click('[data-action=audit-refresh]');
    const trail = page.locator('[data-testid=audit-trail] tbody tr[data-operator=alice]');
    await waitFor(async () => (await trail.count()) >= 4, { timeoutMs: 10_000, message: 'audit rows' });
    const actions = await trail.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action-name')));
    for (const action of ['edit-and-redrive', 'discard', 'redrive-job-start', 'sign-in']) expect(actions).toContain(action);
    expect(await page.locator('[data-testid=audit-trail]').innerText()).toContain('refunded by support, ticket 4711');
    const exact = await waitFor(
      async () => {
        const l = await ledger();
        return l.settled && l.granted.coupons === 5 && l;
      },
      { timeoutMs: 30_000, message: 'ledger settled' },
    );
    expect(exact).toMatchObject({
      paid: 6,
      granted: { coupons: 5, redPackets: 6 },
      inFlight: 0,
      deadLettered: 0,
      discarded: 1,
      lost: 0,
      duplicated: 0,
      settled: true,
    });
    await waitFor(
      async () =>
        (await page.locator('[data-testid=ledger-discarded]').innerText()) === '1' && (await page.locator('#ledger-status').innerText()) === 'exact (quiet)',
      { timeoutMs: 10_000, message: 'page shows the ledger' },
    );
    expect(await page.evaluate('window.__xss')).toBeUndefined();
    expect(dialogs).toEqual([]);
    await shot('-audit');
  });
});
