import type { FastifyInstance } from 'fastify';

/** A request body Fastify should refuse as 415, with the code the error filter maps. */
class UnsupportedBodyError extends Error {
  readonly code = 'FST_ERR_CTP_INVALID_MEDIA_TYPE';
  readonly statusCode = 415;
}

/**
 * JSON bodies only, but an empty body is no body: Fastify refuses `Content-Type: application/json`
 * with nothing after it (400) and a form content type at all (415), which is what curl's
 * `-X POST -d ''` and many HTTP clients send to an action route such as `POST /orders/:id/pay`.
 * An empty body becomes `undefined`; a route that takes a body still refuses that in its own
 * validation (400), and a non-empty form body is still 415. Non-empty JSON goes through Fastify's
 * own parser (prototype- and constructor-poisoning checks).
 */
export function installBodyParsers(instance: FastifyInstance, bodyLimit: number, options: { forms?: boolean } = {}): void {
  const json = instance.getDefaultJsonParser('error', 'error');
  instance.removeContentTypeParser(['application/json', 'text/plain']);
  instance.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (request, body, done) => {
    if (body.length === 0) return done(null, undefined);
    // Fastify's default parser calls done itself and returns nothing.
    void json(request, body as string, done);
  });
  instance.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit }, (_request, body, done) => {
    if (body.length === 0) return done(null, undefined);
    // An app with an HTML form (the console's sign-in) takes form fields; the services never do.
    if (options.forms) return done(null, Object.fromEntries(new URLSearchParams(body as string)));
    done(new UnsupportedBodyError('request body must be application/json'), undefined);
  });
}
