export * from './create-inbox.migration';
export * from './inbox';
