import { bearerToken, tokenMatches } from './operator-token';

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
