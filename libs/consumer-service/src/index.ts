export * from './consumer-service.module';
export * from './start-consumer-service';
export * from './grant-ledger.module';
export * from './grant-ledger.service';
