import { Context, context, Span, SpanKind, SpanStatusCode, trace, Tracer } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { contextFromTraceparent } from './tracing';

const SPAN = Symbol('serverSpan');
type Traced = FastifyRequest & { [SPAN]?: { span: Span; active: Context } | null };

/**
 * A SERVER span per request, named by route template (`POST /orders/:id/pay`), child of an incoming
 * `traceparent` when the caller sent one, from two Fastify hooks and the response's end:
 * - `onRequest` starts it (routing is done, so the template is known);
 * - `preHandler` calls the rest of the chain inside it: Fastify runs the handler synchronously from
 *   that callback, so the Nest handler and every span it starts (the database transaction, the
 *   outbox row's traceparent) belong to the request's trace;
 * - the response's `close` ends it: with the status once the answer went out, as an error when the
 *   client left first (`onResponse` and `onRequestAbort` both miss a client that leaves after its
 *   body was read and before the answer).
 *
 * Hooks rather than a Nest interceptor: a global interceptor wraps every HTTP request and every
 * message handler in an RxJS pipeline, costlier than the spans themselves (docs/performance.md, "Cost of
 * metrics and tracing"); hooks touch HTTP requests only.
 */
export function installHttpServerSpans(instance: FastifyInstance, tracer: Tracer): void {
  instance.decorateRequest(SPAN, null);
  instance.addHook('onRequest', (request: Traced, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const name = `${request.method} ${route}`;
    // Should OpenTelemetry's HTTP instrumentation be preloaded, its server span is already active and
    // continues the caller's traceparent: it only gets the route template as its name.
    const preloaded = trace.getSpan(context.active());
    if (preloaded) {
      preloaded.updateName(name);
      preloaded.setAttribute('http.route', route);
      return done();
    }
    const parent = contextFromTraceparent(request.headers.traceparent);
    const span = tracer.startSpan(name, { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method, 'http.route': route } }, parent);
    request[SPAN] = { span, active: trace.setSpan(parent, span) };
    reply.raw.once('close', () => end(request, reply.raw.writableFinished ? reply.statusCode : undefined));
    done();
  });
  instance.addHook('preHandler', (request: Traced, _reply, done) => {
    const traced = request[SPAN];
    if (traced) context.with(traced.active, done);
    else done();
  });
}

function end(request: Traced, status: number | undefined): void {
  const traced = request[SPAN];
  if (!traced) return;
  request[SPAN] = null;
  if (status === undefined) traced.span.setStatus({ code: SpanStatusCode.ERROR, message: 'client closed the connection before the answer' });
  else {
    traced.span.setAttribute('http.response.status_code', status);
    if (status >= 500) traced.span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${status}` });
  }
  traced.span.end();
}
