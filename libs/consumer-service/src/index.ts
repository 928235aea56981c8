export * from './consumer-service.imports';
