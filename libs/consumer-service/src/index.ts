/**
 * @reliable-payments/consumer-service — what the coupon and red-packet services share: ConsumerServiceModule.forRoot
 * (database with inbox and dead letters, messaging with one consumer on the payment events, operator
 * guard, chaos, metrics, OpenAPI, health) and the console's read endpoints (GrantLedgerModule).
 */
export * from './consumer-service.module';
export * from './start-consumer-service';
export * from './grant-ledger.module';
export * from './grant-ledger.service';
