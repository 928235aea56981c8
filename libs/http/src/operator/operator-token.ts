import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares a presented bearer token with the configured one in constant time. Both sides are
 * hashed first, so neither the comparison time nor an early length check tells an attacker how
 * long the token is or how much of it matched.
 */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The token of an `Authorization: Bearer <token>` header; undefined for any other shape. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(header);
  return match?.[1];
}

/**
 * The name of the operator whose token was presented, or undefined. Every configured token is
 * compared (no early exit), so the time taken says nothing about which one matched, or whether any did.
 */
export function operatorOf(presented: string | undefined, operators: ReadonlyArray<{ name: string; token: string }>): string | undefined {
  let found: string | undefined;
  for (const operator of operators) if (tokenMatches(presented, operator.token) && found === undefined) found = operator.name;
  return found;
}
