import { DataSource } from 'typeorm';
import { DatabaseSettings } from '@app/config';
import { mysqlConnection } from './mysql-connection';

/**
 * Runs pending migrations on a short-lived connection of its own and closes it. With a separate
 * migration account (`*_DB_MIGRATION_URL`) this is the only place DDL rights are used: the
 * service's pool connects with an account that can only read and write rows.
 */
export async function migrateDatabase(settings: DatabaseSettings, migrations: Function[]): Promise<void> {
  const dataSource = new DataSource({
    ...mysqlConnection(settings),
    migrations,
    migrationsTransactionMode: 'each',
    synchronize: false,
    poolSize: 1,
    logging: ['warn', 'migration'],
  });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}
