import { bearerToken, operatorOf, presentedOperatorToken, tokenMatches } from './operator-token';

describe('operator token', () => {
  it('matches only the exact token', () => {
    expect(tokenMatches('s3cret-operator-token', 's3cret-operator-token')).toBe(true);
    expect(tokenMatches('s3cret-operator-toke', 's3cret-operator-token')).toBe(false);
    expect(tokenMatches('s3cret-operator-tokenX', 's3cret-operator-token')).toBe(false);
    expect(tokenMatches('', 's3cret-operator-token')).toBe(false);
    expect(tokenMatches(undefined, 's3cret-operator-token')).toBe(false);
  });

  it('reads the token from a Bearer header only', () => {
    expect(bearerToken('Bearer abc.def-1')).toBe('abc.def-1');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken('Bearer')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken(['Bearer abc'])).toBeUndefined();
  });
});

describe('operatorOf', () => {
  const operators = [
    { name: 'alice', token: 'alice-secret-0123456789' },
    { name: 'bob', token: 'bob-secret-0123456789ab' },
  ];
  it('names the operator whose token was presented, and nobody for another', () => {
    expect(operatorOf('bob-secret-0123456789ab', operators)).toBe('bob');
    expect(operatorOf('alice-secret-0123456789', operators)).toBe('alice');
    expect(operatorOf('alice-secret-012345678', operators)).toBeUndefined();
    expect(operatorOf(undefined, operators)).toBeUndefined();
    expect(operatorOf('anything', [])).toBeUndefined();
  });
});

describe('one rule for every operator guard', () => {
  it('reads the bearer scheme case-insensitively, and nothing else', () => {
    for (const header of ['Bearer abc', 'bearer abc', 'BEARER  abc']) expect(bearerToken(header)).toBe('abc');
    for (const header of ['Basic abc', 'Bearer', 'Bearerabc', 'Bearer a b']) expect(bearerToken(header)).toBeUndefined();
  });

  it('refuses a sign-in token longer than any configured one as too long, not as missing', () => {
    const long = presentedOperatorToken.safeParse('x'.repeat(600));
    expect(long.success).toBe(false);
    expect(long.error?.issues[0].message).toBe('must be at most 256 characters');
    expect(presentedOperatorToken.safeParse('').error?.issues[0].message).toBe('is required');
    expect(presentedOperatorToken.safeParse(undefined).error?.issues[0].message).toBe('is required');
  });
});
