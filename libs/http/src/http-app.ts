import { DynamicModule, INestApplication, Logger, LoggerService, LogLevel, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HttpServerConfig } from '@reliable-payments/config';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AddressInfo } from 'node:net';
import { installBodyParsers } from './body-parsers';
import { refuseCrossSite } from './cross-site';
import { DEFAULT_HTTP_SERVER, fastifyTimeouts } from './http-timeouts';
import { UnhandledErrorFilter } from './http-errors';
import { recordServedRoutes } from './served-routes';
import { ServiceLogger } from './service-logger';

export interface HttpAppOptions {
  port: number;
  /** Listen address and client time-outs (HOST, HTTP_*_TIMEOUT); loopback and the defaults when omitted. */
  http?: HttpServerConfig;
  /** Levels to print when no logger is given (LOG_LEVEL); debug lines on hot paths cost throughput. */
  logLevels?: LogLevel[];
  /** Largest JSON body accepted, in bytes. */
  bodyLimitBytes?: number;
  logger?: LoggerService | false;
  /** For the default logger: `service` on every line, and JSON lines or Nest's text (LOG_FORMAT). */
  service?: string;
  logFormat?: 'json' | 'pretty';
  /** Global modules every service adds beside its own (e.g. TracingModule). */
  imports?: DynamicModule[];
  /** Accept `application/x-www-form-urlencoded` bodies as fields (an app with an HTML form). */
  forms?: boolean;
  /** Headers every response carries besides `X-Content-Type-Options: nosniff` (the console's page policy). */
  responseHeaders?: Record<string, string>;
}

/**
 * Creates and starts a service's HTTP app the same way for all three services: small JSON bodies
 * only, JSON errors, shutdown hooks (SIGTERM stops consumers and the relay before connections close).
 *
 * On Fastify rather than Express: the order service answers two requests per order, and the HTTP
 * stack was a fifth of its CPU under load (see docs/performance.md).
 */
/**
 * Errors Fastify raises before routing (a malformed URL: FST_ERR_BAD_URL) in the one error shape,
 * `{statusCode, error, message}`, without Fastify's extra `code` (issue 20, finding 10).
 */
function answerFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const statusCode = error.statusCode ?? 400;
  void reply.code(statusCode).send({ statusCode, error: statusCode === 400 ? 'Bad Request' : 'Error', message: error.message });
}

export async function startHttpApp(module: Type<unknown> | DynamicModule, options: HttpAppOptions): Promise<INestApplication> {
  const bodyLimit = options.bodyLimitBytes ?? 16 * 1024;
  const root: Type<unknown> | DynamicModule = options.imports?.length ? { module: class ServiceRoot {}, imports: [module, ...options.imports] } : module;
  const http = options.http ?? DEFAULT_HTTP_SERVER;
  const app = await NestFactory.create<NestFastifyApplication>(
    root,
    new FastifyAdapter({ bodyLimit, ...fastifyTimeouts(http), frameworkErrors: answerFrameworkError }),
    {
      // Fastify's own JSON parser (size limit, prototype-poisoning checks); no other body type.
      bodyParser: false,
      logger:
        options.logger === undefined
          ? new ServiceLogger({ service: options.service ?? 'service', format: options.logFormat ?? 'pretty', logLevels: options.logLevels })
          : options.logger,
    },
  );
  const fastify = app.getHttpAdapter().getInstance();
  // On every response, errors and 404s included: a browser never guesses a type (issue 21).
  const headers = { 'x-content-type-options': 'nosniff', ...options.responseHeaders };
  fastify.addHook('onRequest', async (_request, reply) => {
    void reply.headers(headers);
  });
  refuseCrossSite(fastify);
  installBodyParsers(app.getHttpAdapter().getInstance(), bodyLimit, { forms: options.forms });
  recordServedRoutes(app, app.getHttpAdapter().getInstance());
  app.useGlobalFilters(new UnhandledErrorFilter(bodyLimit));
  app.enableShutdownHooks();
  await app.listen(options.port, http.host);
  // The address the socket is really bound to, not one assumed (issue 20: the log said 127.0.0.1 on 0.0.0.0).
  const bound = app.getHttpServer().address() as AddressInfo;
  new Logger('Http').log(`listening on ${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${bound.port}`);
  return app;
}
