import { isIP } from 'node:net';
import { z } from 'zod';
import { duration } from './schema-parts';

/** Where a service listens and how long it waits for a client (HOST, HTTP_*_TIMEOUT). */
export interface HttpServerConfig {
  /** Listen address; loopback unless a deployment says otherwise (the image and compose set 0.0.0.0). */
  host: string;
  /** A request whose headers and body are not all in by then is answered 408 and closed. */
  requestTimeoutMs: number;
  /** A request whose headers are not all in by then is answered 408 and closed (≤ the request time-out). */
  headersTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** A socket with no traffic at all for this long is destroyed. */
  connectionTimeoutMs: number;
}

const host = z
  .string()
  .default('127.0.0.1')
  .refine((value) => isIP(value) !== 0 || /^[a-z0-9]([a-z0-9.-]{0,252})$/i.test(value), 'must be an IP address or a host name')
  .describe('an IP address or a host name');

export const httpServerShape = {
  HOST: host,
  HTTP_REQUEST_TIMEOUT: duration('30s', 100),
  HTTP_HEADERS_TIMEOUT: duration('10s', 100),
  HTTP_KEEP_ALIVE_TIMEOUT: duration('72s', 100),
  HTTP_CONNECTION_TIMEOUT: duration('30s', 100),
};

type HttpServerEnv = z.infer<z.ZodObject<typeof httpServerShape>>;

export function httpServerConfig(e: HttpServerEnv): HttpServerConfig {
  // Node refuses a headers time-out longer than the request time-out; say so with the names.
  if (e.HTTP_HEADERS_TIMEOUT > e.HTTP_REQUEST_TIMEOUT) throw new Error('HTTP_HEADERS_TIMEOUT: must not be longer than HTTP_REQUEST_TIMEOUT');
  return {
    host: e.HOST,
    requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT,
    headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT,
    keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT,
    connectionTimeoutMs: e.HTTP_CONNECTION_TIMEOUT,
  };
}
