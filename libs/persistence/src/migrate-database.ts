import { DataSource } from 'typeorm';
import { DatabaseSettings } from '@app/config';

/**
 * Runs pending migrations on a short-lived connection of its own and closes it. With a separate
 * migration account (`*_DB_MIGRATION_URL`) this is the only place DDL rights are used: the
 * service's pool connects with an account that can only read and write rows.
 */
export async function migrateDatabase(settings: DatabaseSettings, migrations: Function[]): Promise<void> {
  const dataSource = new DataSource({
    type: 'mysql',
    host: settings.host,
    port: settings.port,
    username: settings.user,
    password: settings.password,
    database: settings.database,
    migrations,
    migrationsTransactionMode: 'each',
    synchronize: false,
    timezone: 'Z',
    charset: 'utf8mb4_bin',
    poolSize: 1,
    connectTimeout: 5_000,
    logging: ['warn', 'migration'],
  });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}
