import { hold } from './harness/hold';
import { ReliabilitySystem } from './harness/reliability-system';

/** Scenario 1: the coupon database killed for real (SIGKILL, restart), and hung (SIGSTOP, SIGCONT). */
describe('reliability: coupon database faults', () => {
  it('SIGKILL of the coupon database, restarted', async () => {
    const system = new ReliabilitySystem({ scenario: '1a-coupon-db-sigkill', dedicatedCouponDb: true });
    try {
      await system.start();
      await system.load(300, {
        fault: async () => {
          await system.couponDb!.kill();
          await hold(3_000);
          await system.couponDb!.start();
          await system.resetPool('coupon');
          system.healed();
        },
      });
      expect((await system.check()).violations).toEqual([]);
    } finally {
      await system.cleanup();
    }
  });

  it('SIGSTOP of the coupon database (a hang), then SIGCONT', async () => {
    const system = new ReliabilitySystem({ scenario: '1b-coupon-db-sigstop', dedicatedCouponDb: true });
    try {
      await system.start();
      await system.load(300, {
        fault: async () => {
          system.couponDb!.signal('SIGSTOP');
          await hold(5_000);
          system.couponDb!.signal('SIGCONT');
          system.healed();
        },
      });
      expect((await system.check()).violations).toEqual([]);
    } finally {
      await system.cleanup();
    }
  });
});
