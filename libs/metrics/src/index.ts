export * from './metrics.registry';
export * from './metrics.module';
export * from './outbox.metrics';
export * from './consumer.metrics';
export * from './publish-failure-reason';
export * from './prometheus-text';
