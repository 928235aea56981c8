import { formatDuration, parseDuration } from './duration';

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['5s', 5000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1.5s', 1500],
    ['750', 750],
    [' 10 s ', 10_000],
    ['0', 0],
    ['30d', 2_592_000_000],
  ])('reads %p as %p ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([[''], ['5w'], ['-1s'], ['1e3'], ['five seconds'], ['1s2'], ['s']])('rejects %p', (text) => {
    expect(() => parseDuration(text)).toThrow(`"${text}" is not a duration (use e.g. 500ms, 5s, 2m, 1h, 30d)`);
  });

  it('rejects a duration beyond the safe integer range', () => {
    expect(() => parseDuration('99999999999999999h')).toThrow('"99999999999999999h" is too large');
  });
});

describe('formatDuration', () => {
  it.each([
    [1000, '1s'],
    [90_000, '90s'],
    [120_000, '2m'],
    [5_400_000, '90m'],
    [3_600_000, '1h'],
    [86_400_000, '24h'],
    [1500, '1500ms'],
    [250, '250ms'],
    [0, '0ms'],
  ])('labels %p ms as %p', (ms, label) => {
    expect(formatDuration(ms)).toBe(label);
  });

  it('round-trips through parseDuration', () => {
    for (const ms of [1, 999, 1000, 1001, 59_000, 60_000, 61_000, 3_599_000, 3_600_000, 7_200_000]) {
      expect(parseDuration(formatDuration(ms))).toBe(ms);
    }
  });
});
