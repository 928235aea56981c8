import { DataSource } from 'typeorm';
import { DatabaseSettings } from '@reliable-payments/config';
import { mysqlConnection } from './mysql-connection';

/** How long an instance waits for another one's migration run before it gives up (and restarts). */
const MIGRATION_LOCK_WAIT_SECONDS = 120;

/**
 * Runs pending migrations on a short-lived connection of its own and closes it. With a separate
 * migration account (`*_DB_MIGRATION_URL`) this is the only place DDL rights are used: the
 * service's pool connects with an account that can only read and write rows.
 *
 * Several instances of a service start together (the compose cluster profile starts two of each):
 * TypeORM takes no lock, MySQL's DDL commits at once, so two runs both found a migration pending and
 * the second failed ("Table ... already exists"). A named lock (`GET_LOCK`, server-wide, released
 * when its connection ends) held on a connection of its own makes them take turns: the second run
 * then finds nothing pending.
 */
export async function migrateDatabase(settings: DatabaseSettings, migrations: Function[]): Promise<void> {
  const dataSource = new DataSource({
    ...mysqlConnection(settings),
    migrations,
    migrationsTransactionMode: 'each',
    synchronize: false,
    // One connection holds the lock, one runs the migrations.
    poolSize: 2,
    logging: ['warn', 'migration'],
  });
  await dataSource.initialize();
  const lock = dataSource.createQueryRunner();
  try {
    await lock.connect();
    const name = `migrations:${settings.database}`.slice(0, 64);
    const [row] = (await lock.query('SELECT GET_LOCK(?, ?) AS taken', [name, MIGRATION_LOCK_WAIT_SECONDS])) as Array<{ taken: number | null }>;
    if (Number(row?.taken) !== 1) {
      throw new Error(`another instance has been migrating ${settings.database} for ${MIGRATION_LOCK_WAIT_SECONDS} s; not migrating beside it`);
    }
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await lock.release().catch(() => undefined);
    await dataSource.destroy();
  }
}
