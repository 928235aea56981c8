import { waitFor } from '../support/wait-for';
import { ReliabilitySystem } from './harness/reliability-system';
import { republish } from './harness/republish';

/**
 * Scenarios 3 and 4: services killed at precise points (TEST_CRASH_AT makes the process SIGKILL
 * itself there) and restarted by the harness; a consumer stopped gracefully under load.
 */
describe('reliability: process crashes', () => {
  it('relay killed between the broker confirm and marking the row sent: the duplicate is absorbed', async () => {
    const system = new ReliabilitySystem({ scenario: '3-relay-killed-after-confirm', orderEnv: { TEST_CRASH_AT: 'relay-after-confirm:20' } });
    try {
      await system.start();
      await system.load(300, {
        fault: async () => {
          await system.order.waitForExit(30_000);
          await system.order.start({ TEST_CRASH_AT: '' });
          system.healed();
        },
      });
      const result = await system.check();
      expect(result.violations).toEqual([]);
      const duplicates = Object.values(result.notes.consumers as Record<string, { duplicates: number }>).map((c) => c.duplicates);
      expect(duplicates.every((n) => n > 0)).toBe(true); // the re-sent batch reached both consumers again
    } finally {
      await system.cleanup();
    }
  });

  for (const point of ['consumer-before-commit', 'consumer-after-commit'] as const) {
    it(`coupon consumer killed at ${point}, restarted`, async () => {
      const system = new ReliabilitySystem({ scenario: `4-${point}`, couponEnv: { TEST_CRASH_AT: `${point}:50` } });
      try {
        await system.start();
        await system.load(300, {
          fault: async () => {
            const coupon = system.coupons[0];
            await coupon.waitForExit(30_000);
            await coupon.start({ TEST_CRASH_AT: '' });
            system.healed();
          },
        });
        expect((await system.check()).violations).toEqual([]);
      } finally {
        await system.cleanup();
      }
    });
  }

  it('coupon consumer stopped with SIGTERM under load (graceful), restarted', async () => {
    const system = new ReliabilitySystem({ scenario: '4-consumer-sigterm' });
    try {
      await system.start();
      await system.load(300, {
        fault: async () => {
          await system.coupons[0].kill('SIGTERM');
          await system.coupons[0].start();
          system.healed();
        },
      });
      expect((await system.check()).violations).toEqual([]);
    } finally {
      await system.cleanup();
    }
  });

  it('two instances of each consumer, every event delivered three times', async () => {
    const system = new ReliabilitySystem({ scenario: '6-triple-delivery-two-instances', couponInstances: 2, redPacketInstances: 2 });
    try {
      await system.start();
      await system.load(300);
      await waitFor(async () => Number((await system.query<any>('order', 'SELECT COUNT(*) AS n FROM outbox_messages WHERE sent_at IS NULL'))[0].n) === 0, {
        timeoutMs: 30_000,
      });
      // Publish every event twice more, exactly as the relay did.
      system.notes.republished = await republish(system, 2);
      system.healed();
      const result = await system.check();
      expect(result.violations).toEqual([]);
      const consumers = result.notes.consumers as Record<string, { processed: number; duplicates: number }>;
      const couponDuplicates = consumers['coupon-1'].duplicates + consumers['coupon-2'].duplicates;
      expect(couponDuplicates).toBe(2 * result.orders);
    } finally {
      await system.cleanup();
    }
  });
});
