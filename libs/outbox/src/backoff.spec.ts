import { backoffDelay } from './backoff';

const INITIAL_MS = 1000;
const MAX_MS = 300_000;

describe('backoffDelay', () => {
  it('doubles from the initial delay: 1s, 2s, 4s, 8s...', () => {
    expect([1, 2, 3, 4, 5].map((attempts) => backoffDelay(attempts, INITIAL_MS, MAX_MS))).toEqual([1000, 2000, 4000, 8000, 16_000]);
  });

  it('stops at the cap', () => {
    expect(backoffDelay(9, INITIAL_MS, MAX_MS)).toBe(256_000);
    expect(backoffDelay(10, INITIAL_MS, MAX_MS)).toBe(MAX_MS);
    expect(backoffDelay(1_000_000, INITIAL_MS, MAX_MS)).toBe(MAX_MS);
  });

  it('waits nothing before the first attempt', () => {
    expect(backoffDelay(0, INITIAL_MS, MAX_MS)).toBe(0);
  });
});
