import { RatePacer } from './rate-pacer';

/** Most events in any window [t, t + 1000) of `starts`. */
function busiestSecond(starts: number[]): number {
  return Math.max(...starts.map((t) => starts.filter((s) => s >= t && s < t + 1000).length));
}

describe('RatePacer', () => {
  it('lets the first event start at once and spaces the next ones', () => {
    const pacer = new RatePacer(4);
    expect(pacer.delayAt(1_000)).toBe(0);
    pacer.started(1_000);
    expect(pacer.delayAt(1_100)).toBe(150);
    expect(pacer.delayAt(1_300)).toBe(0);
  });

  it('never puts more than the rate in any one-second window, whatever the start times', () => {
    for (const rate of [1, 3, 10, 7.5]) {
      const pacer = new RatePacer(rate);
      const starts: number[] = [];
      let now = 0;
      for (let i = 0; i < 60; i++) {
        now += pacer.delayAt(now);
        pacer.started(now);
        starts.push(now);
        now += (i * 37) % 90; // the work itself takes a varying while
      }
      expect(busiestSecond(starts)).toBeLessThanOrEqual(Math.ceil(rate));
    }
  });

  it('does not burst after a slow event', () => {
    const pacer = new RatePacer(10);
    pacer.started(0);
    expect(pacer.delayAt(5_000)).toBe(0);
    pacer.started(5_000);
    expect(pacer.delayAt(5_000)).toBe(100);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => new RatePacer(0)).toThrow();
  });
});
