import { z } from 'zod';
import { parseFaultSpec } from '@reliable-payments/faults';
import { formatDuration, parseDuration } from './duration';
import { ConfigError, parsedWith } from './env';
import { checkRetryLadder } from './retry-ladder';

/** The schema pieces every service's configuration is built from. */

/** A duration (`500ms`, `10s`, `5m`, `24h`, `30d`) of at least `min` ms, in ms. */
export const duration = (fallback: string, min = 0) =>
  parsedWith((text) => {
    const ms = parseDuration(text);
    if (ms < min) throw new Error(`must be at least ${min}ms`);
    return ms;
  }, fallback).describe(min > 0 ? `a duration ≥ ${formatDuration(min)}` : 'a duration');

/** The seeds' 16 delay levels (RocketMQ's schedule up to 30 minutes). */
export const DEFAULT_RETRY_LADDER = '1s,5s,10s,30s,1m,2m,3m,4m,5m,6m,7m,8m,9m,10m,20m,30m';

/** "1s,5s,10s" → [1000, 5000, 10000]; levels must be at least 100 ms and at most 24 h, at most 32 of them. */
export function parseLadder(text: string): number[] {
  const levels = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part) => parseDuration(part));
  if (levels.length === 0) throw new Error('must list at least one delay, e.g. 1s,5s,30s');
  return checkRetryLadder(levels);
}

/** What a ladder variable accepts, in words (the configuration reference shows it). */
export const LADDER_FORMAT = 'durations, comma-separated (each 100ms–24h, at most 32)';

export const ladder = parsedWith(parseLadder).describe(LADDER_FORMAT);

/** TEST_CRASH_AT (test only): a fault point armed to kill or throw, see @reliable-payments/faults. */
export const faultSpec = parsedWith(parseFaultSpec).optional();

/** OPERATOR_TOKEN: guards every operator route; unset disables them (403). Sent as `Authorization: Bearer`. */
export const operatorToken = z
  .string()
  .min(16, 'must be at least 16 characters')
  .max(256, 'must be at most 256 characters')
  .regex(/^[\x21-\x7e]+$/, { message: 'must be printable ASCII without spaces' })
  .optional();

/** One named operator: who a token belongs to, written in the audit trail. */
export interface OperatorCredential {
  name: string;
  token: string;
}

/**
 * OPERATOR_TOKENS: `alice:<token>,bob:<token>`. Names are short identifiers; each token follows
 * OPERATOR_TOKEN's rules (16–256 printable characters); names and tokens are unique.
 */
export const operatorTokens = z
  .string()
  .describe('`name:token` pairs, comma-separated')
  .optional()
  .transform((value, ctx): OperatorCredential[] => {
    if (value === undefined || value.trim() === '') return [];
    const entries = value.split(',').map((entry) => entry.trim());
    const result: OperatorCredential[] = [];
    for (const [i, entry] of entries.entries()) {
      const colon = entry.indexOf(':');
      const name = colon < 0 ? '' : entry.slice(0, colon);
      const token = colon < 0 ? '' : entry.slice(colon + 1);
      if (!/^[A-Za-z][A-Za-z0-9_.-]{0,31}$/.test(name))
        ctx.addIssue({ code: 'custom', message: `entry ${i + 1}: must be name:token with a name of letters, digits, '_', '.', '-' (at most 32)` });
      else if (!operatorToken.safeParse(token).success || token === '')
        ctx.addIssue({ code: 'custom', message: `entry ${i + 1} (${name}): the token must be 16–256 printable characters without spaces or commas` });
      else if (result.some((r) => r.name === name)) ctx.addIssue({ code: 'custom', message: `entry ${i + 1}: the name ${name} is given twice` });
      else if (result.some((r) => r.token === token)) ctx.addIssue({ code: 'custom', message: `entry ${i + 1} (${name}): the token is another operator's` });
      else result.push({ name, token });
    }
    return result;
  });

/** OPERATOR_TOKEN (named `operator`) beside OPERATOR_TOKENS; a token given twice is refused. */
export function operatorCredentials(single: string | undefined, named: OperatorCredential[]): OperatorCredential[] {
  const all = single ? [{ name: 'operator', token: single }, ...named] : named;
  const names = new Set(all.map((c) => c.name));
  const tokens = new Set(all.map((c) => c.token));
  if (names.size !== all.length) throw new ConfigError(['OPERATOR_TOKENS: the name "operator" is OPERATOR_TOKEN\'s']);
  if (tokens.size !== all.length) throw new ConfigError(['OPERATOR_TOKENS: a token is also OPERATOR_TOKEN']);
  return all;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/** The named level and every more severe one: "log" → fatal, error, warn, log. */
export function logLevelsFrom(level: LogLevelName): LogLevelName[] {
  return LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(level) + 1);
}

export const logLevel = z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).default('log');

export const localDb = (name: string) => `mysql://root:@127.0.0.1:3306/${name}`;
