import { HttpServerConfig } from '@reliable-payments/config';

/** What a service uses when its configuration gives no HTTP settings (tests of the HTTP layer alone). */
export const DEFAULT_HTTP_SERVER: HttpServerConfig = {
  host: '127.0.0.1',
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 72_000,
  connectionTimeoutMs: 30_000,
};

/**
 * Fastify's and Node's client time-outs from the configuration: a request whose headers or body
 * never complete is answered 408 and closed, an idle socket destroyed (issue 20: 50 slow sockets
 * stayed open for a minute). Node checks the request and headers deadlines on a timer
 * (`connectionsCheckingInterval`, 30 s by default), so it runs at a fraction of the shortest one:
 * a stalled request is answered within its time-out plus that fraction, not plus 30 s.
 */
export function fastifyTimeouts(http: HttpServerConfig) {
  return {
    requestTimeout: http.requestTimeoutMs,
    keepAliveTimeout: http.keepAliveTimeoutMs,
    connectionTimeout: http.connectionTimeoutMs,
    http: {
      headersTimeout: http.headersTimeoutMs,
      connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(Math.min(http.requestTimeoutMs, http.headersTimeoutMs) / 4))),
    },
  };
}
