import { parseFaultSpec } from '@reliable-payments/faults';
import { BROKER_FAULTS, CRASH_POINTS, planFaults } from './fault-schedule';
import { Prng } from './prng';

const targets = { brokerNodes: 3, services: ['order', 'order-2', 'coupon-1', 'coupon-2', 'red-packet-1', 'red-packet-2'] };

describe('planFaults', () => {
  it('replays: the same seed gives the same schedule, another seed another', () => {
    expect(planFaults(42, 600, targets)).toEqual(planFaults(42, 600, targets));
    expect(planFaults(43, 600, targets)).not.toEqual(planFaults(42, 600, targets));
  });

  it('heals everything before the quiet tail, and never has two faults on one target at once', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const faults = planFaults(seed, 180, targets, { quietTailSeconds: 15 });
      expect(faults.length).toBeGreaterThan(3);
      for (const f of faults) expect(f.at + f.holdSeconds).toBeLessThanOrEqual(165 + 1e-9);
      for (const a of faults) {
        for (const b of faults) {
          if (a === b || a.at > b.at) continue;
          if (a.target === b.target) expect(b.at).toBeGreaterThanOrEqual(a.at + a.holdSeconds);
          // One broker node in trouble at a time: a majority is always up.
          if (BROKER_FAULTS.includes(a.kind) && BROKER_FAULTS.includes(b.kind)) expect(b.at).toBeGreaterThanOrEqual(a.at + a.holdSeconds);
        }
      }
    }
  });

  it('draws every kind of fault over enough seeds, and some overlap', () => {
    const all = Array.from({ length: 50 }, (_, s) => planFaults(s, 300, targets)).flat();
    expect(new Set(all.map((f) => f.kind)).size).toBe(12);
    const overlapping = Array.from({ length: 50 }, (_, s) => planFaults(s, 300, targets)).filter((faults) =>
      faults.some((a, i) => faults.slice(i + 1).some((b) => b.at < a.at + a.holdSeconds)),
    );
    expect(overlapping.length).toBeGreaterThan(25);
  });
});

describe('crash points', () => {
  it('arm the relay on an order instance and a consumer point on the others, each a valid TEST_CRASH_AT', () => {
    const crashes = Array.from({ length: 50 }, (_, s) => planFaults(s, 300, targets))
      .flat()
      .filter((f) => f.kind === 'crash-point');
    expect(crashes.length).toBeGreaterThan(20);
    for (const f of crashes) {
      const spec = parseFaultSpec(f.crashAt!);
      expect(spec.mode).toBe('kill');
      expect(f.target.startsWith('order') ? CRASH_POINTS.order : CRASH_POINTS.consumer).toContain(spec.point);
    }
    expect(new Set(crashes.map((f) => f.crashAt!.split(':')[0])).size).toBe(3);
  });
});

describe('Prng', () => {
  it('is deterministic and in range', () => {
    const a = new Prng(7);
    const b = new Prng(7);
    for (let i = 0; i < 1000; i++) {
      const x = a.next();
      expect(x).toBe(b.next());
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });
});
