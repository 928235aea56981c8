/**
 * @reliable-payments/http — what every service's HTTP side shares: the Fastify app (JSON only, an empty body is no
 * body, JSON errors named by status), the operator guard (bearer token, constant time, fail closed),
 * /health, /health/live, /health/ready, OpenAPI from the zod pipes, JSON logs.
 */
export * from './zod-validation.pipe';
export * from './http-errors';
export * from './http-app';
export * from './health.controller';
export * from './health-report';
export * from './health.module';
export * from './run-main';
export * from './operator/operator-auth.options';
export * from './operator/operator-auth.module';
export * from './operator/operator.guard';
export * from './operator/operator-token';
export * from './grant-query';
export * from './service-logger';
export * from './openapi/openapi-document';
export * from './openapi/openapi.module';
export * from './served-routes';
export * from './start-service-app';
export * from './cross-site';
export * from './operator/audit/operator-action.entity';
export * from './operator/audit/create-operator-actions.migration';
export * from './operator/audit/operator-actions.service';
export * from './operator/audit/operator-audit.module';
export * from './operator/audit/operator-audit.migrations';
