import { Histogram, Registry } from 'prom-client';
import type { FastifyInstance } from 'fastify';

/**
 * `http_request_duration_seconds` by route template (never the raw URL: `/orders/:id/pay`, not an
 * order id), method and status, from one Fastify `onResponse` hook. Unmatched paths share the
 * route label `unmatched`, so a scanner cannot grow the label set.
 */
export function installHttpMetrics(instance: FastifyInstance, registry: Registry): void {
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route template, method and status',
    labelNames: ['route', 'method', 'status'],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  instance.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    duration.observe({ route, method: request.method, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    done();
  });
}
