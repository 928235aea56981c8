/**
 * @reliable-payments/tracing — OpenTelemetry, off unless an OTLP endpoint is configured: a tracer per service, the
 * request span, and the W3C traceparent carried by hand through the outbox, every retry, the dead
 * letter and a re-drive, so one payment is one trace across the three services.
 */
export * from './tracing';
export * from './sampled-out-shortcut';
export * from './tracing.module';
export * from './process-instrumentation';
