import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import Fastify, { FastifyInstance } from 'fastify';
import { installHttpServerSpans } from './http-server-spans';

describe('installHttpServerSpans', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const tracer = provider.getTracer('test');
  let app: FastifyInstance;
  let base: string;
  // The slow handler: tells when it runs, and answers only when released.
  let entered: () => void = () => undefined;
  let release: () => void = () => undefined;

  beforeAll(async () => {
    app = Fastify();
    installHttpServerSpans(app, tracer);
    // The handler's own span: a child of the request span only if the handler runs inside it.
    app.post('/orders/:id/pay', async () => {
      await new Promise((resolve) => setImmediate(resolve));
      tracer.startSpan('work').end();
      return { ok: true };
    });
    app.post('/slow', async () => {
      entered();
      await new Promise<void>((resolve) => (release = resolve));
      return { ok: true };
    });
    app.get('/boom', async () => {
      throw new Error('boom');
    });
    // A real socket: Fastify's inject() loads an ES module Jest cannot require.
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterEach(() => exporter.reset());
  afterAll(async () => {
    release(); // should a test have failed while the slow handler waited
    await app.close();
    await provider.shutdown();
    context.disable();
  });

  /** The finished span of that name; the request span ends in onResponse, which may run after the client has the answer. */
  const span = async (name: string) => {
    const deadline = Date.now() + 2_000;
    for (;;) {
      const found = exporter.getFinishedSpans().find((s) => s.name === name);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no finished span "${name}"`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  it('names the span by route template, continues the caller’s traceparent and runs the handler inside it', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await fetch(`${base}/orders/42/pay`, { method: 'POST', headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    expect(response.status).toBe(200);
    const request = await span('POST /orders/:id/pay');
    expect(request.spanContext().traceId).toBe(traceId);
    expect(request.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(request.attributes).toMatchObject({ 'http.route': '/orders/:id/pay', 'http.request.method': 'POST', 'http.response.status_code': 200 });
    expect((await span('work')).parentSpanContext?.spanId).toBe(request.spanContext().spanId);
  });

  it('marks a 5xx answer as an error and gives an unknown path one shared name', async () => {
    expect((await fetch(`${base}/boom`)).status).toBe(500);
    expect((await span('GET /boom')).status).toMatchObject({ code: 2, message: 'HTTP 500' });
    expect((await fetch(`${base}/no/such/order-1234`)).status).toBe(404);
    expect((await span('GET unmatched')).attributes['http.response.status_code']).toBe(404);
  });

  it('ends the span as an error when the client leaves after sending its body and before the answer', async () => {
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    const aborted = new AbortController();
    const call = fetch(`${base}/slow`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}', signal: aborted.signal });
    await inHandler; // the body was read: onRequestAbort will not run
    aborted.abort();
    await expect(call).rejects.toThrow();
    const slow = await span('POST /slow');
    release();
    expect(slow.status).toMatchObject({ code: 2, message: 'client closed the connection before the answer' });
    expect(slow.attributes['http.response.status_code']).toBeUndefined();
  });
});
