import { MySQL2Instrumentation } from '@opentelemetry/instrumentation-mysql2';
import type { ObservabilityConfig } from '@reliable-payments/config';

/**
 * In a service's own process, with tracing on and `OTEL_NODE_ENABLED_INSTRUMENTATIONS=mysql2`:
 * OpenTelemetry's mysql2 instrumentation (every SQL statement as a span of the trace that issued it,
 * e.g. the pay transaction's SELECT … FOR UPDATE, UPDATE, outbox INSERT and COMMIT). It reports to
 * the global provider the service's `Tracing` registers, and patches the driver when TypeORM loads
 * it (after this call).
 *
 * Off by default: it wraps every query, sampled or not, and triples the spans per payment (about 23
 * instead of 8), which at full load overflows the batch span processor's default queue (2,048
 * spans, dropped past it). The hand-written spans already hold the pay transaction and each grant
 * insert; the statements are for looking closer.
 *
 * Not the HTTP instrumentation: it patches `http` only when loaded before anything requires it (a
 * `--require` preload), and the request span with its route template comes from
 * `installHttpServerSpans` anyway. Not amqplib's: it would start a new trace at each relay poll and
 * nest its spans around ours; the outbox hop is carried by hand (the row's traceparent → the AMQP
 * header → the consumer span).
 */
export function instrumentProcess(observability: ObservabilityConfig): void {
  if (!observability.tracing.enabled || !observability.instrumentations.includes('mysql2')) return;
  new MySQL2Instrumentation(); // enabled on construction
}
