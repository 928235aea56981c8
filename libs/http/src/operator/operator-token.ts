import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * The one answer every operator guard (the services' and the console's) gives a missing or wrong
 * token, so a client learns the same rule wherever it asks.
 */
export const OPERATOR_TOKEN_REFUSED = 'missing or wrong operator token (sign in, or send Authorization: Bearer <token>)';

/** The longest token anyone may configure (OPERATOR_TOKEN, OPERATOR_TOKENS): a longer one presented is refused as too long, not as absent. */
export const MAX_OPERATOR_TOKEN_LENGTH = 256;

/** A token presented to sign in: present, and no longer than any configured token can be. */
export const presentedOperatorToken = z
  .string({ message: 'is required' })
  .min(1, 'is required')
  .max(MAX_OPERATOR_TOKEN_LENGTH, `must be at most ${MAX_OPERATOR_TOKEN_LENGTH} characters`);

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

/**
 * The token of an `Authorization: Bearer <token>` header (the scheme is case-insensitive, RFC 7235;
 * spaces after it are tolerated); undefined for any other shape. The one rule of every operator guard.
 */
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
