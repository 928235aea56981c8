import { z } from 'zod';
import { ConfigError } from './env';

/** One HMAC key: its id travels in the `signature-key-id` header, the secret never leaves the process. */
export interface EventSigningKey {
  id: string;
  secret: string;
}

/**
 * Signed events (EVENT_SIGNING_KEYS, EVENT_SIGNING_KEY_ID), for deployments where one broker user is
 * shared and broker permissions cannot tell the order service from anyone else. Undefined = off.
 */
export interface EventSigningConfig {
  /** Every key a consumer accepts, by id: holding the old and the new key is how a rotation overlaps. */
  keys: ReadonlyMap<string, string>;
  /** The key this service signs with (the order service; a consumer only to sign an edited dead letter). */
  signWith?: EventSigningKey;
}

const KEY_ID = /^[a-z0-9-]{1,32}$/;
const MIN_SECRET = 32;

export const eventSigningShape = {
  EVENT_SIGNING_KEYS: z.string().describe('`key-id:secret` pairs, comma-separated').optional(),
  EVENT_SIGNING_KEY_ID: z.string().describe('a key id of EVENT_SIGNING_KEYS').optional(),
};

/**
 * Parses `kid1:secret1,kid2:secret2`. Problems name the variable and the entry's position, never
 * its text: a malformed entry may be all secret.
 */
export function parseSigningKeys(text: string): Map<string, string> {
  const keys = new Map<string, string>();
  const problems: string[] = [];
  text.split(',').forEach((entry, index) => {
    const at = `EVENT_SIGNING_KEYS: entry ${index + 1}`;
    const colon = entry.indexOf(':');
    if (colon < 0) return problems.push(`${at} is not key-id:secret`);
    const id = entry.slice(0, colon).trim();
    const secret = entry.slice(colon + 1).trim();
    if (!KEY_ID.test(id)) return problems.push(`${at}: the key id must match [a-z0-9-]{1,32}`);
    if (secret.length < MIN_SECRET) return problems.push(`${at}: the secret must be at least ${MIN_SECRET} characters`);
    if (keys.has(id)) return problems.push(`${at}: key id "${id}" is already used by an earlier entry`);
    keys.set(id, secret);
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return keys;
}

/** The signing slice of a service's config; both variables unset = signing off (today's behaviour). */
export function eventSigningConfig(env: { EVENT_SIGNING_KEYS?: string; EVENT_SIGNING_KEY_ID?: string }): EventSigningConfig | undefined {
  if (env.EVENT_SIGNING_KEYS === undefined) {
    if (env.EVENT_SIGNING_KEY_ID !== undefined) throw new ConfigError(['EVENT_SIGNING_KEY_ID: set without EVENT_SIGNING_KEYS']);
    return undefined;
  }
  const keys = parseSigningKeys(env.EVENT_SIGNING_KEYS);
  const id = env.EVENT_SIGNING_KEY_ID;
  if (id === undefined) return { keys };
  const secret = keys.get(id);
  if (secret === undefined) throw new ConfigError(['EVENT_SIGNING_KEY_ID: must be one of the key ids in EVENT_SIGNING_KEYS']);
  return { keys, signWith: { id, secret } };
}
