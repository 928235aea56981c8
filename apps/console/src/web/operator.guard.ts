import { CanActivate, ExecutionContext, ForbiddenException, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { bearerToken, isCrossSite, OPERATOR_TOKEN_REFUSED } from '@reliable-payments/http';
import { cookieValue, OperatorSessions, SESSION_COOKIE } from './operator-session';

/**
 * Refuses a state-changing request sent from another site (`isCrossSite`: `Sec-Fetch-Site` or
 * `Origin` naming another site). Every app already refuses those before routing (`refuseCrossSite`);
 * the guard says it again where an action runs. (The session cookie is SameSite=Strict as well.)
 */
export function assertSameSite(request: FastifyRequest): void {
  if (isCrossSite(request.headers)) throw new ForbiddenException('cross-site request refused');
}

/**
 * Console actions (pay, chaos, re-drive, a dead letter's payload): a signed-in session, or the
 * operator token as `Authorization: Bearer` for scripts. Fails closed: no OPERATOR_TOKEN → 403.
 */
@Injectable()
export class OperatorGuard implements CanActivate {
  private readonly logger = new Logger('ConsoleOperator');

  constructor(private readonly sessions: OperatorSessions) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!this.sessions.enabled) throw new ForbiddenException('operator API disabled (OPERATOR_TOKEN is not set)');
    if (request.method !== 'GET') assertSameSite(request);
    // The services' rule (`bearerToken`, @reliable-payments/http): one parser, one message, for every operator guard.
    const presented = request.headers.authorization === undefined ? undefined : (bearerToken(request.headers.authorization) ?? '');
    const allowed = presented !== undefined ? this.sessions.tokenMatches(presented) : this.sessions.isValid(cookieValue(request.headers.cookie, SESSION_COOKIE));
    if (!allowed) throw new UnauthorizedException(OPERATOR_TOKEN_REFUSED);
    this.logger.log(`operator action: ${request.method} ${request.url.split('?')[0]}`);
    return true;
  }
}
