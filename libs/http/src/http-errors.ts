import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { classifyError } from '@app/messaging';
import { classifyMysqlError } from '@app/persistence';
import type { NextFunction, Request, Response } from 'express';

const REASONS: Record<number, string> = { 400: 'Bad Request', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 500: 'Internal Server Error', 503: 'Service Unavailable' };

export function sendError(res: Response, statusCode: number, message: string): void {
  res.status(statusCode).json({ statusCode, error: REASONS[statusCode] ?? HttpStatus[statusCode], message });
}

/**
 * Errors the controllers did not map: HTTP exceptions keep Nest's `{statusCode, error, message}`;
 * an unreachable dependency becomes 503 (retry later); anything else is a logged 500.
 */
@Catch()
export class UnhandledErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (exception instanceof HttpException) {
      const body = exception.getResponse();
      res.status(exception.getStatus()).json(typeof body === 'string' ? { statusCode: exception.getStatus(), error: exception.name, message: body } : body);
      return;
    }
    // The same classification the consumers use: unreachable database, deadlock, lock-wait timeout.
    const failure = classifyError(exception, classifyMysqlError);
    if (failure.kind === 'transient' && failure.code !== 'UNKNOWN') {
      this.logger.warn(`dependency unavailable: ${failure.code} ${failure.message}`);
      sendError(res, 503, `a dependency is unavailable (${failure.code}); try again shortly`);
      return;
    }
    this.logger.error((exception as Error)?.stack ?? String(exception));
    sendError(res, 500, 'Internal server error');
  }
}

/** Requests that carry a body must say it is JSON. */
export function requireJsonBody(req: Request, res: Response, next: NextFunction): void {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (hasBody && !req.is('application/json')) {
    sendError(res, 415, 'request body must be application/json');
    return;
  }
  next();
}

/** Turns body-parser failures into JSON 4xx answers instead of Express's HTML page. */
export function bodyParserErrors(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  const type = (error as { type?: string })?.type;
  if (type === 'entity.parse.failed') return sendError(res, 400, 'request body is not valid JSON');
  if (type === 'entity.too.large') return sendError(res, 413, `request body exceeds ${(error as { limit?: number }).limit} bytes`);
  if (type) return sendError(res, 400, `request body could not be read (${type})`);
  next(error);
}
