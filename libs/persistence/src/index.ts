export * from './ensure-database';
export * from './migrate-database';
export * from './mysql-errors';
export * from './transaction';
export * from './database-probe';
export * from './database.module';
export * from './group-commit';
export * from './insert-rows';
