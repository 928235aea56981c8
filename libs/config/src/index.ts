export * from './env';
export * from './duration';
export * from './database-url';
export * from './service.config';
export * from './console.config';
export * from './observability.config';
