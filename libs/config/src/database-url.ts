import { parsedWith } from './env';

/** Connection settings parsed from `mysql://user:password@host:port/database`. */
export interface DatabaseSettings {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** The URL with the password masked: the only form that may reach a log. */
  redacted: string;
}

export function parseDatabaseUrl(text: string): DatabaseSettings {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error('must be a URL like mysql://user:password@host:3306/database');
  }
  if (url.protocol !== 'mysql:') throw new Error('must use the mysql:// scheme');
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!/^[a-zA-Z0-9_]{1,64}$/.test(database)) {
    throw new Error('must name a database of letters, digits and "_" (at most 64)');
  }
  if (!url.hostname) throw new Error('must name a host');
  const port = url.port ? Number(url.port) : 3306;
  const user = decodeURIComponent(url.username) || 'root';
  const masked = new URL(url.toString());
  if (masked.password) masked.password = '***';
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port,
    user,
    password: decodeURIComponent(url.password),
    database,
    redacted: masked.toString(),
  };
}

export const databaseUrl = (fallback: string) => parsedWith(parseDatabaseUrl, fallback).describe('a mysql:// URL');

/** An optional URL of the same form (no default): unset gives `undefined`. */
export const optionalDatabaseUrl = parsedWith(parseDatabaseUrl).describe('a mysql:// URL').optional();

/**
 * The account migrations run with (`*_DB_MIGRATION_URL`): it must reach the same server and
 * database as the service's own URL, or the service would run against a schema nobody migrated.
 */
export function migrationSettings(service: DatabaseSettings, migration: DatabaseSettings | undefined, variable: string): DatabaseSettings | undefined {
  if (!migration) return undefined;
  if (migration.host !== service.host || migration.port !== service.port || migration.database !== service.database) {
    throw new Error(`${variable}: must name the same host, port and database as the service's own URL`);
  }
  return migration;
}

/** Masks the password of any URL for logging. */
export function redactUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '<unparseable url>';
  }
}
