import { createOrderSchema } from './orders.dto';

const valid = { userId: 'user-42', amount: '128.50', currency: 'CNY' };

/** The paths of the fields a body is rejected for; fails the test if the body is accepted. */
const rejectedFields = (body: unknown): string[] => {
  const result = createOrderSchema.safeParse(body);
  if (result.success) throw new Error(`accepted ${JSON.stringify(body)} as ${JSON.stringify(result.data)}`);
  return result.error.issues.map((issue) => issue.path.join('.') || `(${issue.code})`);
};

describe('createOrderSchema', () => {
  it('accepts a valid order as it is', () => {
    expect(createOrderSchema.parse(valid)).toEqual(valid);
  });

  it('defaults the currency to CNY', () => {
    expect(createOrderSchema.parse({ userId: 'user-42', amount: '10.00' })).toEqual({ userId: 'user-42', amount: '10.00', currency: 'CNY' });
  });

  it.each([
    ['12.5', '12.50'],
    [12.5, '12.50'],
    ['7', '7.00'],
    [7, '7.00'],
    ['0.01', '0.01'],
    ['1000000', '1000000.00'],
    [1_000_000, '1000000.00'],
  ])('normalises the amount %p to %p', (amount, normalised) => {
    expect(createOrderSchema.parse({ ...valid, amount }).amount).toBe(normalised);
  });

  it.each([
    ['zero', 0],
    ['"0.00"', '0.00'],
    ['a negative number', -5],
    ['a negative string', '-5.00'],
    ['more than 1,000,000', '1000000.01'],
    ['a number over 1,000,000', 1_000_000.01],
    ['three decimal places', '1.234'],
    ['0.1 + 0.2', 0.1 + 0.2],
    ['exponent notation', '1e3'],
    ['a tiny number printed in exponent notation', 1e-7],
    ['"NaN"', 'NaN'],
    ['"Infinity"', 'Infinity'],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['an empty string', ''],
    ['a padded string', ' 12.50'],
    ['a leading zero', '012.50'],
    ['a boolean', true],
    ['null', null],
  ])('rejects an amount of %s', (_label, amount) => {
    expect(rejectedFields({ ...valid, amount })).toEqual(['amount']);
  });

  it('rejects a missing amount', () => {
    expect(rejectedFields({ userId: 'user-42' })).toEqual(['amount']);
  });

  it('rejects a missing or empty userId', () => {
    expect(rejectedFields({ amount: '1.00' })).toEqual(['userId']);
    expect(rejectedFields({ ...valid, userId: '' })).toEqual(['userId']);
  });

  it.each([
    ['NUL', 'user\u0000x'],
    ['a bidi override', 'user\u202Egnp.exe'],
    ['a zero-width space', 'us\u200Ber'],
    ['a lone surrogate', 'user\uD800'],
    ['a newline', 'user\nx'],
  ])('rejects a userId with %s (control, format or surrogate characters)', (_, userId) => {
    expect(rejectedFields({ ...valid, userId })).toEqual(['userId']);
  });

  it('keeps accepting letters of any script, and emoji', () => {
    expect(createOrderSchema.parse({ ...valid, userId: '用户-Ünïcødé-😀' }).userId).toBe('用户-Ünïcødé-😀');
  });

  it('accepts a userId of 64 characters and rejects one of 65', () => {
    expect(createOrderSchema.parse({ ...valid, userId: 'u'.repeat(64) }).userId).toHaveLength(64);
    expect(rejectedFields({ ...valid, userId: 'u'.repeat(65) })).toEqual(['userId']);
  });

  it.each([['cny'], ['CN'], ['CNYY'], ['C1Y']])('rejects the currency %p', (currency) => {
    expect(rejectedFields({ ...valid, currency })).toEqual(['currency']);
  });

  it('rejects fields it does not know', () => {
    const result = createOrderSchema.safeParse({ ...valid, discount: '5.00' });

    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([expect.objectContaining({ code: 'unrecognized_keys', keys: ['discount'] })]);
  });

  it.each([
    ['an array', [valid]],
    ['a string', 'order'],
    ['null', null],
  ])('rejects a body that is %s', (_label, body) => {
    expect(createOrderSchema.safeParse(body).success).toBe(false);
  });
});
