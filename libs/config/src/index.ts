/**
 * @reliable-payments/config — every variable each service reads, parsed and validated once at start (typed slices:
 * broker, order service and its outbox, consumer services, console, observability). A bad value stops
 * the service with the variable's name; URLs are never echoed. Nothing else reads process.env.
 */
export * from './env';
export * from './duration';
export * from './retry-ladder';
export * from './database-url';
export * from './service.config';
export * from './console.config';
export * from './observability.config';
export * from './http-server.config';
export * from './event-signing.config';
