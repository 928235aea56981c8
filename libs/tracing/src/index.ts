export * from './tracing';
export * from './tracing.module';
export * from './http-tracing.interceptor';
export * from './process-instrumentation';
