import { FastifyInstance } from 'fastify';
import { IncomingHttpHeaders } from 'node:http';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether a request says it comes from another site: browsers send `Sec-Fetch-Site`, and `Origin`
 * on every cross-origin POST (a form included); either one naming another origin counts, and so
 * does `Origin: null` (a sandboxed frame, a redirect). curl and server-to-server clients send
 * neither, so they are never refused by this.
 */
export function isCrossSite(headers: IncomingHttpHeaders): boolean {
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return true;
  const origin = headers.origin;
  if (origin === undefined) return false;
  const host = origin !== 'null' && URL.canParse(origin) ? new URL(origin).host : undefined;
  return host === undefined || host !== headers.host;
}

/**
 * Refuses every state-changing request from another site before any route runs (issue 20: a
 * cross-site form paid an order). 403 in the one error shape.
 */
export function refuseCrossSite(instance: FastifyInstance): void {
  instance.addHook('onRequest', async (request, reply) => {
    if (SAFE_METHODS.has(request.method) || !isCrossSite(request.headers)) return;
    await reply.code(403).send({ statusCode: 403, error: 'Forbidden', message: 'cross-site request refused' });
  });
}
