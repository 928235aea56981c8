import { runScenario, Verdict } from '../tools/scenario/scenario';
import { TestSystem } from './support/test-system';

/** `npm run demo:scenario`'s logic against the demo's settings (chaos on, short ladder, no pause). */
describe('the demo scenario', () => {
  const token = 'scenario-token-1';
  const system = new TestSystem({
    CHAOS_ENABLED: 'true',
    OPERATOR_TOKEN: token,
    RETRY_LADDER: '300ms,600ms,1s,2s', // 3.9 s in all
    PAUSE_ON_DEPENDENCY_DOWN: 'false',
    HANDLER_TIMEOUT: '2s',
  });
  let targets: { orderUrl: string; couponUrl: string; redPacketUrl: string; operatorToken: string };
  const lines: string[] = [];

  beforeAll(async () => {
    const { order, coupon, redPacket } = await system.startAll();
    targets = { orderUrl: order.url, couponUrl: coupon.url, redPacketUrl: redPacket.url, operatorToken: token };
  });
  afterAll(() => system.cleanup());

  const run = (outageSeconds: number): Promise<Verdict> =>
    runScenario({ ...targets, orders: 20, rate: 20, outageAfterOrders: 5, outageSeconds, convergeTimeoutSeconds: 60, print: (l) => lines.push(l) });

  it('passes with an outage shorter than the ladder: nothing dead-lettered', async () => {
    const verdict = await run(1);
    expect(verdict).toMatchObject({ paid: 20, coupons: 20, redPackets: 20, lost: 0, duplicated: 0, deadLetters: 0, ok: true });
    expect(lines.some((l) => l.includes('coupon database killed'))).toBe(true);
  });

  it('passes with an outage longer than the ladder, through the re-drive path', async () => {
    const verdict = await run(6);
    expect(verdict).toMatchObject({ paid: 20, coupons: 20, redPackets: 20, lost: 0, duplicated: 0, ok: true });
    expect(verdict.deadLetters).toBeGreaterThan(0);
    expect(verdict.redriven).toBeGreaterThan(0);
  });
});
