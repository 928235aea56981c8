import { DynamicModule, Logger, Module } from '@nestjs/common';
import { TypeOrmModule, TypeOrmModuleOptions } from '@nestjs/typeorm';
import { DatabaseLimits, DatabaseSettings } from '@reliable-payments/config';
import { DatabaseLogger } from './database.logger';
import { DropTimedOutConnection } from './drop-timed-out-connection.subscriber';
import { ensureDatabase } from './ensure-database';
import { migrateDatabase } from './migrate-database';
import { mysqlConnection } from './mysql-connection';

export interface DatabaseModuleOptions {
  settings: DatabaseSettings;
  /** The account that creates the database and runs migrations at start; unset = `settings`. */
  migrationSettings?: DatabaseSettings;
  poolSize: number;
  /** Every statement fails after this (mysql2 `timeout`), so a hung server answers each caller; 0 = none. */
  queryTimeoutMs: number;
  /** Most callers waiting for a free connection; past it the pool refuses at once ("Queue limit reached."). */
  poolQueueLimit: number;
  entities: Function[];
  migrations: Function[];
}

/** The database part of a service's configuration, as both service configs carry it. */
export interface ServiceDatabaseConfig {
  database: DatabaseSettings;
  migrationDatabase?: DatabaseSettings;
  databasePoolSize: number;
  databaseLimits: DatabaseLimits;
}

const logger = new Logger('Database');

/** TypeORM on mysql2 with the project's defaults. Migrations run before, see DatabaseModule. */
export function typeOrmOptions(options: DatabaseModuleOptions): TypeOrmModuleOptions {
  return {
    ...mysqlConnection(options.settings),
    entities: options.entities,
    // Already run by migrateDatabase, with the migration account, before this pool opens.
    migrationsRun: false,
    // Never: the schema changes only through migrations.
    synchronize: false,
    poolSize: options.poolSize,
    supportBigNumbers: true,
    bigNumberStrings: true,
    // TypeORM passes maxQueryExecutionTime to mysql2 as each query's `timeout` when enableQueryTimeout
    // is set (and also logs slower queries). mysql2 has no acquire time-out (TypeORM's acquireTimeout
    // is a mysqljs option it ignores): the wait for a connection is bounded by queueLimit, and by the
    // query and connect time-outs of the callers ahead.
    enableQueryTimeout: options.queryTimeoutMs > 0,
    maxQueryExecutionTime: options.queryTimeoutMs > 0 ? options.queryTimeoutMs : undefined,
    subscribers: [DropTimedOutConnection],
    extra: { enableKeepAlive: true, maxIdle: options.poolSize, idleTimeout: 60_000, queueLimit: options.poolQueueLimit },
    logger: new DatabaseLogger(),
    retryAttempts: 10,
    retryDelay: 1_000,
  };
}

@Module({})
export class DatabaseModule {
  /** A service's database from its configuration, with the schema (entities and migrations) it owns. */
  static forService(config: ServiceDatabaseConfig, schema: { entities: Function[]; migrations: Function[] }): DynamicModule {
    return DatabaseModule.forRootAsync({
      useFactory: () => ({
        settings: config.database,
        migrationSettings: config.migrationDatabase,
        poolSize: config.databasePoolSize,
        ...config.databaseLimits,
        ...schema,
      }),
    });
  }

  /** `useFactory` receives the `inject`ed providers in order (method syntax: typed parameters, no `any`). */
  static forRootAsync(options: { inject?: Array<string | symbol | Function>; useFactory(...args: unknown[]): DatabaseModuleOptions }): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: options.inject ?? [],
          useFactory: async (...args: unknown[]) => {
            const resolved = options.useFactory(...args);
            const migration = resolved.migrationSettings ?? resolved.settings;
            // The server may still be starting (compose, CI): give it a few seconds before failing.
            for (let attempt = 1; ; attempt++) {
              try {
                await ensureDatabase(migration);
                break;
              } catch (error) {
                if (attempt >= 15) throw error;
                logger.warn(`database server not reachable yet (${(error as Error).message}); retrying`);
                await new Promise((resolve) => setTimeout(resolve, 1_000));
              }
            }
            if (resolved.migrationSettings) logger.log(`migrating with ${migration.redacted}`);
            await migrateDatabase(migration, resolved.migrations);
            logger.log(`using ${resolved.settings.redacted}`);
            return typeOrmOptions(resolved);
          },
        }),
      ],
    };
  }
}
