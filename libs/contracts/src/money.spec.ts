import { fromCents, percentOf, toCents } from './money';

describe('toCents', () => {
  it.each([
    ['12.50', 1250],
    ['12.5', 1250],
    ['12.05', 1205],
    ['0.5', 50],
    ['7', 700],
    ['1000000.00', 100_000_000],
  ])('reads %p as %p cents', (amount, cents) => {
    expect(toCents(amount)).toBe(cents);
  });

  it.each([['1.234'], ['-1.00'], ['.5'], ['1.'], [''], ['1,50'], [' 1.50'], ['1e3']])('rejects %p', (amount) => {
    expect(() => toCents(amount)).toThrow(`"${amount}" is not a decimal amount`);
  });
});

describe('fromCents', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [50, '0.50'],
    [1250, '12.50'],
    [100_000_000, '1000000.00'],
  ])('writes %p cents as %p', (cents, amount) => {
    expect(fromCents(cents)).toBe(amount);
  });

  it('round-trips with toCents', () => {
    for (const amount of ['0.01', '0.99', '1.00', '99.90', '123456.78']) {
      expect(fromCents(toCents(amount))).toBe(amount);
    }
  });
});

describe('percentOf', () => {
  it('rounds half a cent up', () => {
    expect(percentOf(12_345, 10, 0, Number.MAX_SAFE_INTEGER)).toBe(1235);
    expect(percentOf(12_344, 10, 0, Number.MAX_SAFE_INTEGER)).toBe(1234);
  });

  it('clamps the share into [min, max]', () => {
    expect(percentOf(500, 10, 100, 5000)).toBe(100);
    expect(percentOf(100_000, 10, 100, 5000)).toBe(5000);
    expect(percentOf(20_000, 10, 100, 5000)).toBe(2000);
  });
});
