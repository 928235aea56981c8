import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { classifyError } from '@app/messaging';
import { classifyMysqlError } from '@app/persistence';

const REASONS: Record<number, string> = { 400: 'Bad Request', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 500: 'Internal Server Error', 503: 'Service Unavailable' };

export function sendError(reply: FastifyReply, statusCode: number, message: string): void {
  void reply.status(statusCode).send({ statusCode, error: REASONS[statusCode] ?? HttpStatus[statusCode], message });
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
 * Errors the controllers did not map: HTTP exceptions keep Nest's `{statusCode, error, message}`;
 * a body Fastify refused gets the same shape (415, 413, 400); an unreachable dependency becomes 503
 * (retry later); anything else is a logged 500.
 */
@Catch()
export class UnhandledErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  constructor(private readonly bodyLimit: number) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (exception instanceof HttpException) {
      const body = exception.getResponse();
      void reply.status(exception.getStatus()).send(typeof body === 'string' ? { statusCode: exception.getStatus(), error: exception.name, message: body } : body);
      return;
    }
    const { code, statusCode } = (exception ?? {}) as { code?: unknown; statusCode?: unknown };
    const refused = typeof code === 'string' ? bodyError(code, this.bodyLimit) : undefined;
    if (refused) return sendError(reply, ...refused);
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
