import { SignInLimiter } from './sign-in-limiter';

describe('SignInLimiter', () => {
  let now = 1_000_000;
  const clock = () => now;

  it('lets a client fail up to its limit, then makes it wait out the window', () => {
    const limiter = new SignInLimiter({ perClient: 3, global: 100, windowMs: 60_000 }, clock);
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfterSeconds('10.0.0.1')).toBeUndefined();
      limiter.failed('10.0.0.1');
    }
    expect(limiter.retryAfterSeconds('10.0.0.1')).toBe(60);
    expect(limiter.retryAfterSeconds('10.0.0.2')).toBeUndefined(); // another client is not slowed down
    now += 30_000;
    expect(limiter.retryAfterSeconds('10.0.0.1')).toBe(30);
    now += 30_001;
    expect(limiter.retryAfterSeconds('10.0.0.1')).toBeUndefined();
  });

  it('stops everyone once the global budget is spent (guesses spread over many addresses)', () => {
    const limiter = new SignInLimiter({ perClient: 5, global: 10, windowMs: 60_000 }, clock);
    for (let i = 0; i < 10; i++) limiter.failed(`10.0.1.${i}`);
    expect(limiter.retryAfterSeconds('10.0.2.1')).toBe(60);
    now += 60_001;
    expect(limiter.retryAfterSeconds('10.0.2.1')).toBeUndefined();
  });

  it('keeps its memory bounded', () => {
    const limiter = new SignInLimiter({ perClient: 2, global: 5, windowMs: 60_000 }, clock);
    for (let i = 0; i < 20_000; i++) limiter.failed(`c${i}`);
    expect((limiter as unknown as { byClient: Map<string, number[]> }).byClient.size).toBeLessThanOrEqual(10_000);
  });
});
