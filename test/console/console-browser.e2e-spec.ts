import { INestApplication } from '@nestjs/common';
import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { RunningService, TestSystem } from '../support/test-system';
import { waitFor } from '../support/wait-for';
import { consoleApi, freePort, OPERATOR_TOKEN, startTestConsole } from './console-harness';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join(__dirname, '../../results/console');
// Without the networking flags Chromium tries hosts it cannot reach (see ../shared/FACTS.md).
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/**
 * The whole story in a real browser, without a terminal: sign in, pay, break the coupon database,
 * watch retry levels fill, heal, see every order granted; then dead-letter a batch on a short
 * ladder, re-drive it from the page, and read one order's timeline. Screenshots of each step go to
 * results/console/.
 */
describe('console in a browser', () => {
  const system = new TestSystem({ CHAOS_ENABLED: 'true', PAUSE_ON_DEPENDENCY_DOWN: 'false', HANDLER_TIMEOUT: '2s' });
  let couponPort: number;
  let services: { order: RunningService; coupon: RunningService; redPacket: RunningService };
  let console: { app: INestApplication; url: string };
  let userDataDir: string;
  let context: BrowserContext;
  let page: Page;

  const cellText = (id: string) => page.locator(`[data-testid="${id}"]`).innerText();
  const ledgerIs = async (expected: Record<string, number>) => {
    for (const [id, value] of Object.entries(expected)) if ((await cellText(id)) !== String(value)) return false;
    return true;
  };
  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`);
    mkdirSync(SHOTS, { recursive: true });
    couponPort = await freePort();
    services = await system.startAll({ coupon: { COUPON_PORT: String(couponPort), COUPON_RETRY_LADDER: '1s,2s,4s,8s,16s' } });
    console = await startTestConsole(system, { order: services.order.url, coupon: services.coupon.url, redPacket: services.redPacket.url }, '300ms');
    userDataDir = await mkdtemp(join(tmpdir(), 'console-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      viewport: { width: 1400, height: 1000 },
    });
    page = await context.newPage();
  });
  afterAll(async () => {
    await context?.close();
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
    await console?.app.close();
    await system.cleanup();
  });

  it('signs in once: the session cookie is HttpOnly and SameSite=Strict, and the token stays out of the page', async () => {
    await page.goto(console.url);
    await page.waitForFunction("document.querySelector('#pipeline svg') !== null"); // runs in the page
    await shot('01-opened');
    // Actions are refused without a session.
    expect((await consoleApi(console.url, 'POST', '/api/actions/pay', { count: 1 })).status).toBe(401);
    await page.fill('input[name=token]', 'wrong-token-wrong-token');
    await page.click('[data-testid=sign-in] button');
    await page.waitForSelector('text=wrong token');
    await page.fill('input[name=token]', OPERATOR_TOKEN);
    await page.click('[data-testid=sign-in] button');
    await page.waitForSelector('[data-testid=signed-in]');
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'console_session', httpOnly: true, sameSite: 'Strict' });
    expect(await page.evaluate('document.cookie')).toBe(''); // the session cookie is invisible to scripts
    expect(await page.content()).not.toContain(OPERATOR_TOKEN);
    // A cross-site post is refused even with a valid session cookie.
    const crossSite = await fetch(`${console.url}/api/actions/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `${cookie.name}=${cookie.value}`, origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' },
      body: JSON.stringify({ count: 1 }),
    });
    expect(crossSite.status).toBe(403);
    await shot('02-signed-in');
  });

  it('pays, breaks the coupon database, shows retry levels filling, heals, and ends with every order granted', async () => {
    await page.fill('#burst-n', '20');
    await page.click('[data-action=burst]');
    await waitFor(() => ledgerIs({ 'ledger-paid': 20, 'ledger-granted-coupons': 20, 'ledger-granted-red-packets': 20 }), {
      timeoutMs: 30_000,
      message: '20 orders granted',
    });
    await shot('03-paid');

    const coupons = page.locator('#chaos-rows [data-consumer=coupon-service]');
    await coupons.locator('[data-role=mode]').selectOption('down');
    await page.click('[data-testid=chaos-coupon-service]');
    await waitFor(async () => (await coupons.innerText()).includes('down until healed'), { timeoutMs: 10_000, message: 'fault shown' });
    await page.fill('#burst-n', '10');
    await page.click('[data-action=burst]');
    await waitFor(() => ledgerIs({ 'ledger-paid': 30, 'ledger-granted-red-packets': 30 }), { timeoutMs: 30_000, message: 'red packets keep coming' });
    await waitFor(async () => (await page.locator('#pipeline').innerText()).includes('moved here'), { timeoutMs: 20_000, message: 'retry levels fill' });
    expect(await cellText('ledger-lost')).toBe('0');
    expect(Number(await cellText('ledger-in-flight'))).toBeGreaterThan(0);
    await shot('04-coupon-db-down-retrying');

    await page.click('[data-testid=heal-coupon-service]');
    await waitFor(
      () =>
        ledgerIs({
          'ledger-paid': 30,
          'ledger-granted-coupons': 30,
          'ledger-granted-red-packets': 30,
          'ledger-in-flight': 0,
          'ledger-dead-lettered': 0,
          'ledger-lost': 0,
          'ledger-duplicated': 0,
        }),
      {
        timeoutMs: 60_000,
        message: 'every order granted after the heal',
      },
    );
    await waitFor(async () => (await page.locator('#ledger-status').innerText()) === 'exact (quiet)', { timeoutMs: 10_000, message: 'ledger exact' });
    await shot('05-healed');
  });

  it('dead-letters a batch on a short ladder, re-drives it from the page, and the ledger settles', async () => {
    // The same coupon service, restarted with a short ladder on the same port.
    await services.coupon.stop();
    services.coupon = await system.start('coupon', { COUPON_PORT: String(couponPort), COUPON_RETRY_LADDER: '200ms,400ms' });
    const coupons = page.locator('#chaos-rows [data-consumer=coupon-service]');
    await waitFor(async () => (await coupons.innerText()).includes('healthy'), { timeoutMs: 20_000, message: 'console sees the restarted service' });
    await page.click('[data-testid=chaos-coupon-service]');
    await waitFor(async () => (await coupons.innerText()).includes('down'), { timeoutMs: 10_000, message: 'fault shown' });
    await page.fill('#burst-n', '10');
    await page.click('[data-action=burst]');
    await waitFor(() => ledgerIs({ 'ledger-paid': 40, 'ledger-granted-red-packets': 40 }), { timeoutMs: 30_000, message: 'paid' });
    // Past the ladder the letters wait in the DLQ until the database is back to store them.
    await waitFor(async () => (await page.locator('#pipeline').innerText()).match(/DLQ\s+10/), { timeoutMs: 30_000, message: 'ten in the DLQ' });
    expect(await cellText('ledger-lost')).toBe('0');
    await page.click('[data-testid=heal-coupon-service]');
    await waitFor(() => ledgerIs({ 'ledger-dead-lettered': 10, 'ledger-granted-coupons': 30, 'ledger-lost': 0 }), {
      timeoutMs: 30_000,
      message: 'ten dead letters stored',
    });
    await page.waitForSelector('[data-testid=dead-letters-coupon-service]');
    await shot('06-dead-lettered');

    // The outage's letters can fall into more than one failure group (which error a delivery met
    // depends on timing: refused, reset or timed out), and a group's button re-drives that group:
    // press each group's until the ledger settles. A second press of one group skips what it re-drove.
    const settled = {
      'ledger-paid': 40,
      'ledger-granted-coupons': 40,
      'ledger-granted-red-packets': 40,
      'ledger-in-flight': 0,
      'ledger-dead-lettered': 0,
      'ledger-lost': 0,
      'ledger-duplicated': 0,
    };
    const groupButton = page.locator('[data-action=redrive-group][data-consumer=coupon-service]').first();
    await groupButton.click();
    await waitFor(
      async () => {
        if (await ledgerIs(settled)) return true;
        if ((await groupButton.count()) > 0) await groupButton.click({ timeout: 1_000 }).catch(() => undefined);
        return false;
      },
      { timeoutMs: 30_000, intervalMs: 2_000, message: 'every order granted after the re-drive' },
    );
    await waitFor(async () => (await page.locator('[data-testid=dead-letters-coupon-service]').count()) === 0, {
      timeoutMs: 10_000,
      message: 'letters leave the table',
    });
    await shot('07-redriven');
  });

  it("tells one order's story across the three services", async () => {
    // The most recent order paid from the page was dead-lettered and re-driven.
    await page.locator('#recent-orders a').first().click();
    await page.waitForSelector('#timeline li[data-event="grant.issued"]');
    await waitFor(async () => (await page.locator('#timeline li').count()) >= 8, { timeoutMs: 10_000, message: 'timeline rows' });
    const events = await page.locator('#timeline li').evaluateAll((items) => items.map((li) => li.getAttribute('data-event')));
    expect(events.slice(0, 2)).toEqual(['order.created', 'order.paid']);
    for (const event of ['event.published', 'delivery.failed', 'dead-lettered', 'redriven', 'grant.issued']) expect(events).toContain(event);
    expect(events.filter((e) => e === 'grant.issued')).toHaveLength(2);
    expect(events.indexOf('dead-lettered')).toBeLessThan(events.lastIndexOf('grant.issued'));
    await shot('08-order-timeline');
  });
});
