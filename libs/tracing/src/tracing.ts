import { Context, context, propagation, ROOT_CONTEXT, SpanStatusCode, trace, Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import type { ObservabilityConfig } from '@reliable-payments/config';
import { SampledOutShortcut } from './sampled-out-shortcut';

/** Where spans go: OTLP in production, an in-memory exporter in tests. */
export type SpanExporter = ConstructorParameters<typeof SimpleSpanProcessor>[0];

/**
 * One service's tracer. Off (a no-op tracer: spans cost nothing) unless an OTLP endpoint is
 * configured, or a test gives an exporter. Each service has its own provider, so its spans carry
 * its own `service.name` even when the tests run three services in one process; the first one
 * enabled also registers the process-wide context manager (AsyncLocalStorage) and propagator.
 */
export class Tracing {
  readonly tracer: Tracer;
  private readonly provider?: BasicTracerProvider;

  constructor(observability: ObservabilityConfig, exporter?: SpanExporter) {
    const { tracing } = observability;
    if (!exporter && !tracing.enabled) {
      this.tracer = trace.getTracer('noop');
      return;
    }
    const processor = exporter
      ? new SimpleSpanProcessor(exporter)
      : new BatchSpanProcessor(new OTLPTraceExporter(tracing.enabled ? { url: tracing.tracesUrl, headers: tracing.headers } : {}));
    this.provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': observability.serviceName }),
      sampler: sampler(observability.sampler),
      spanProcessors: [processor],
    });
    registerOnce(this.provider);
    const sdk = this.provider.getTracer(observability.serviceName);
    this.tracer = observability.sampler.name.startsWith('parentbased_') ? new SampledOutShortcut(sdk) : sdk;
  }

  get enabled(): boolean {
    return this.provider !== undefined;
  }

  /** Flushes what is buffered (at shutdown). */
  async shutdown(): Promise<void> {
    await this.provider?.shutdown().catch(() => undefined);
  }
}

/** The standard samplers by their OTEL_TRACES_SAMPLER names. */
function sampler({ name, ratio }: ObservabilityConfig['sampler']) {
  const root = name.endsWith('always_off')
    ? new AlwaysOffSampler()
    : name.endsWith('traceidratio')
      ? new TraceIdRatioBasedSampler(ratio)
      : new AlwaysOnSampler();
  return name.startsWith('parentbased_') ? new ParentBasedSampler({ root }) : root;
}

let registered = false;
/** What `NodeTracerProvider.register()` does, without the second copy of the SDK that package brings. */
function registerOnce(provider: BasicTracerProvider): void {
  if (registered) return;
  registered = true;
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
}

const w3c = new W3CTraceContextPropagator();

/** The W3C `traceparent` of a context (the active one by default); undefined when it has no sampled span. */
export function traceparentOf(ctx: Context = context.active()): string | undefined {
  const carrier: Record<string, string> = {};
  w3c.inject(ctx, carrier, { set: (c, k, v) => (c[k] = v) });
  return carrier.traceparent;
}

/** A context whose parent span is the given `traceparent` (e.g. an outbox row's, or an AMQP header's). */
export function contextFromTraceparent(traceparent: unknown, base: Context = ROOT_CONTEXT): Context {
  if (typeof traceparent !== 'string' || traceparent.length > 128) return base;
  return w3c.extract(base, { traceparent }, { get: (c, k) => c[k as 'traceparent'], keys: (c) => Object.keys(c) });
}

/** Runs `work` inside a new active span: ended when it settles, marked as an error when it throws. */
export function inSpan<R>(tracer: Tracer, name: string, attributes: Record<string, string | number>, work: () => Promise<R>): Promise<R> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work();
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}
