import { checkRetryLadder, RETRY_LADDER_LIMITS } from './retry-ladder';
import { parseLadder } from './schema-parts';

describe('checkRetryLadder: the one check of a retry ladder', () => {
  it('accepts whole milliseconds within the limits, and no levels at all', () => {
    expect(checkRetryLadder([100, 86_400_000])).toEqual([100, 86_400_000]);
    expect(checkRetryLadder([])).toEqual([]);
  });

  it.each([[[99]], [[86_400_001]], [[-1]], [[0]]])('refuses %p', (levels) => {
    expect(() => checkRetryLadder(levels)).toThrow('each delay must be between 100ms and 24h');
  });

  it.each([[[1.5]], [[Number.NaN]], [[Number.POSITIVE_INFINITY]]])('refuses %p', (levels) => {
    expect(() => checkRetryLadder(levels)).toThrow('each delay must be whole milliseconds');
  });

  it('refuses more levels than the limit', () => {
    expect(() => checkRetryLadder(Array(RETRY_LADDER_LIMITS.maxLevels + 1).fill(1000))).toThrow('at most 32 delays');
  });

  it('returns a copy: changing the input later does not change the ladder', () => {
    const input = [1000];
    const ladder = checkRetryLadder(input);
    input[0] = 5;
    expect(ladder).toEqual([1000]);
  });

  it('is what RETRY_LADDER goes through', () => {
    expect(() => parseLadder('1s,99ms')).toThrow('each delay must be between 100ms and 24h');
    expect(parseLadder('1s,2m')).toEqual(checkRetryLadder([1000, 120_000]));
  });
});
