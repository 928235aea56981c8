import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { classifyError } from '@reliable-payments/errors';
import { classifyMysqlError } from '@reliable-payments/persistence';

/** The reason phrase of a status ("Bad Request"): what every error's `error` field says, never a class name. */
export function statusName(statusCode: number): string {
  return STATUS_CODES[statusCode] ?? HttpStatus[statusCode] ?? 'Error';
}

export function sendError(reply: FastifyReply, statusCode: number, message: unknown): void {
  void reply.status(statusCode).send({ statusCode, error: statusName(statusCode), message });
}

/** What a request body rejected by Fastify (before any controller) is told, by Fastify's error code. */
function bodyError(code: string, bodyLimit: number): [number, string] | undefined {
  switch (code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return [415, 'request body must be application/json'];
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return [413, `request body exceeds ${bodyLimit} bytes`];
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return [400, 'request body is not valid JSON'];
    default:
      return undefined;
  }
}

/**
 * Errors the controllers did not map: HTTP exceptions become `{statusCode, error, message}` with
 * `error` the status's name;
 * a body Fastify refused gets the same shape (415, 413, 400); an unreachable dependency becomes 503
 * (retry later); anything else is a logged 500.
 */
@Catch()
export class UnhandledErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  constructor(private readonly bodyLimit: number) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    // Nest's Fastify adapter wraps Fastify's own 4xx errors (body refused) in an HttpException; the code is on its cause.
    const fastifyError = exception instanceof HttpException ? exception.cause : exception;
    const { code, statusCode } = (fastifyError ?? {}) as { code?: unknown; statusCode?: unknown };
    const refused = typeof code === 'string' ? bodyError(code, this.bodyLimit) : undefined;
    if (refused) return sendError(reply, ...refused);
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const message = typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? statusName(status));
      return sendError(reply, status, message);
    }
    if (typeof code === 'string' && code.startsWith('FST_') && typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
      return sendError(reply, statusCode, `request refused (${(exception as Error).message})`);
    }
    // The same classification the consumers use: unreachable database, deadlock, lock-wait timeout.
    const failure = classifyError(exception, classifyMysqlError);
    if (failure.kind === 'transient' && failure.code !== 'UNKNOWN') {
      this.logger.warn(`dependency unavailable: ${failure.code} ${failure.message}`);
      sendError(reply, 503, `a dependency is unavailable (${failure.code}); try again shortly`);
      return;
    }
    this.logger.error((exception as Error)?.stack ?? String(exception));
    sendError(reply, 500, 'Internal server error');
  }
}
