import { CallHandler, ExecutionContext, HttpException, Injectable, NestInterceptor } from '@nestjs/common';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Observable } from 'rxjs';
import { contextFromTraceparent, Tracing } from './tracing';

/**
 * A SERVER span per request, named by route template (`POST /orders/:id/pay`), child of an incoming
 * `traceparent` when the caller sent one. The handler runs inside it, so the spans it starts (the
 * database transaction, the outbox row's context) belong to the request's trace.
 */
@Injectable()
export class HttpTracingInterceptor implements NestInterceptor {
  constructor(private readonly tracing: Tracing) {}

  intercept(execution: ExecutionContext, next: CallHandler): Observable<unknown> {
    // Message handlers run through the same interceptors (context type 'amqp'): they have their own span.
    if (execution.getType() !== 'http') return next.handle();
    const http = execution.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const route = request.routeOptions.url ?? 'unmatched';
    // Should OpenTelemetry's HTTP instrumentation be preloaded, its server span is already active and
    // continues the caller's traceparent: it only gets the route template as its name.
    const server = trace.getSpan(context.active());
    if (server) {
      server.updateName(`${request.method} ${route}`);
      server.setAttribute('http.route', route);
      return next.handle();
    }
    const parent = contextFromTraceparent(request.headers.traceparent);
    const span = this.tracing.tracer.startSpan(
      `${request.method} ${route}`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method, 'http.route': route } },
      parent,
    );
    const active = trace.setSpan(parent, span);
    return new Observable((subscriber) =>
      context.with(active, () =>
        next.handle().subscribe({
          next: (value) => subscriber.next(value),
          error: (error: unknown) => {
            const status = error instanceof HttpException ? error.getStatus() : 500;
            span.setAttribute('http.response.status_code', status);
            if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
            span.end();
            subscriber.error(error);
          },
          complete: () => {
            span.setAttribute('http.response.status_code', http.getResponse<FastifyReply>().statusCode);
            span.end();
            subscriber.complete();
          },
        }),
      ),
    );
  }
}
