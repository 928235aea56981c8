import { AlertRateLimiter } from './alert-rate-limiter';

describe('AlertRateLimiter', () => {
  it('lets a burst through, then counts the rest until the window ends', () => {
    const limiter = new AlertRateLimiter(3, 1_000);
    const sent = [0, 1, 2, 3, 4, 5].map((i) => limiter.offer(i * 10).send);
    expect(sent).toEqual([true, true, true, false, false, false]);
    expect(limiter.pendingSuppressed).toBe(3);
  });

  it('turns the suppressed count into one summary when the next window starts', () => {
    const limiter = new AlertRateLimiter(1, 1_000);
    limiter.offer(0);
    limiter.offer(100);
    limiter.offer(200);
    expect(limiter.roll(999)).toBe(0);
    expect(limiter.roll(1_000)).toBe(2);
    expect(limiter.roll(1_001)).toBe(0);
    expect(limiter.offer(1_002)).toEqual({ send: true, summary: 0 });
  });

  it('reports the summary of an ended window with the first alert of the next one', () => {
    const limiter = new AlertRateLimiter(1, 1_000);
    limiter.offer(0);
    limiter.offer(1);
    expect(limiter.offer(5_000)).toEqual({ send: true, summary: 1 });
  });

  it('never sends more than the burst in any window, however many offers', () => {
    const limiter = new AlertRateLimiter(5, 1_000);
    let sent = 0;
    for (let i = 0; i < 10_000; i++) if (limiter.offer(i / 100).send) sent++;
    expect(sent).toBe(5);
  });
});
