export * from './zod-validation.pipe';
export * from './http-errors';
export * from './http-app';
export * from './health.controller';
export * from './health.module';
export * from './run-main';
export * from './service-logger';
