export * from './consumer-service.imports';
export * from './start-consumer-service';
