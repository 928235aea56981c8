import { DatabaseSettings } from '@reliable-payments/config';

/**
 * Where and how TypeORM's mysql driver connects, the same for the service's pool and the migration
 * run: UTC timestamps, binary utf8mb4 comparison, a 5 s connect time-out.
 */
export function mysqlConnection(settings: DatabaseSettings) {
  return {
    type: 'mysql' as const,
    host: settings.host,
    port: settings.port,
    username: settings.user,
    password: settings.password,
    database: settings.database,
    timezone: 'Z',
    charset: 'utf8mb4_bin',
    connectTimeout: 5_000,
  };
}
