export * from './create-inbox.migration';
export * from './inbox';
export * from './process-once';
export * from './inbox-batcher';
export * from './inbox.module';
export * from './inbox.retention';
export * from './index-inbox-processed-at.migration';
export * from './inbox.options';
