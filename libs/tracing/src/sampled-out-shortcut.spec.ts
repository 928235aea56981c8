import { context, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import type { ObservabilityConfig } from '@reliable-payments/config';
import { contextFromTraceparent, inSpan, traceparentOf, Tracing } from './tracing';

const config = (name: ObservabilityConfig['sampler']['name'], ratio = 1): ObservabilityConfig => ({
  serviceName: 'shortcut-test',
  logFormat: 'json',
  metricsEnabled: false,
  tracing: { enabled: false },
  sampler: { name, ratio },
  instrumentations: [],
});

const SAMPLED_OUT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00';
const SAMPLED = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('SampledOutShortcut (the tracer of a parent-based sampler)', () => {
  const exporter = new InMemorySpanExporter();
  afterEach(() => exporter.reset());

  it('records nothing under a parent sampled out, and hands the trace on unchanged', async () => {
    const { tracer } = new Tracing(config('parentbased_always_on'), exporter);
    const span = tracer.startSpan('consume', { attributes: { 'messaging.attempt': 1 } }, contextFromTraceparent(SAMPLED_OUT));
    expect(span.isRecording()).toBe(false);
    // The parent's own context: no span id drawn, nothing asked of the SDK.
    expect(span.spanContext()).toMatchObject({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.NONE });
    span.end();
    const carried = await context.with(contextFromTraceparent(SAMPLED_OUT), () => inSpan(tracer, 'grant', {}, async () => traceparentOf()));
    expect(carried).toBe(SAMPLED_OUT);
    expect(exporter.getFinishedSpans()).toHaveLength(0);
  });

  it('leaves roots and sampled parents to the SDK', () => {
    const { tracer } = new Tracing(config('parentbased_always_on'), exporter);
    tracer.startSpan('root', {}, ROOT_CONTEXT).end();
    tracer.startSpan('child', {}, contextFromTraceparent(SAMPLED)).end();
    tracer.startSpan('forced root', { root: true }, contextFromTraceparent(SAMPLED_OUT)).end();
    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => s.name)).toEqual(['root', 'child', 'forced root']);
    expect(spans[1].parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    expect(spans[2].spanContext().traceId).not.toBe('0af7651916cd43dd8448eb211c80319c');
  });

  it('keeps a 10 % ratio: a sampled-out root has children sampled out, a sampled one children recorded', async () => {
    const none = new Tracing(config('parentbased_traceidratio', 0), exporter).tracer;
    await inSpan(none, 'request', {}, () => inSpan(none, 'transaction', {}, async () => undefined));
    expect(exporter.getFinishedSpans()).toHaveLength(0);
    const all = new Tracing(config('parentbased_traceidratio', 1), exporter).tracer;
    await inSpan(all, 'request', {}, () => inSpan(all, 'transaction', {}, async () => undefined));
    const [child, parent] = exporter.getFinishedSpans();
    expect(child.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
  });

  it('is not used for a sampler that is not parent-based: always_on records a child of a parent sampled out', () => {
    const { tracer } = new Tracing(config('always_on'), exporter);
    const span = tracer.startSpan('consume', {}, contextFromTraceparent(SAMPLED_OUT));
    expect(span.isRecording()).toBe(true);
    span.end();
    expect(exporter.getFinishedSpans()).toHaveLength(1);
  });

  it('passes startActiveSpan its three shapes, the span active inside', () => {
    const { tracer } = new Tracing(config('parentbased_always_on'), exporter);
    const parent = contextFromTraceparent(SAMPLED_OUT);
    const active = () => trace.getActiveSpan()?.spanContext().spanId;
    expect(context.with(parent, () => tracer.startActiveSpan('a', () => active()))).toBe('b7ad6b7169203331');
    expect(context.with(parent, () => tracer.startActiveSpan('b', { attributes: { x: 1 } }, () => active()))).toBe('b7ad6b7169203331');
    expect(tracer.startActiveSpan('c', {}, parent, () => active())).toBe('b7ad6b7169203331');
    expect(exporter.getFinishedSpans()).toHaveLength(0);
  });
});
