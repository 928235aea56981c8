export * from './create-inbox.migration';
export * from './inbox';
export * from './process-once';
