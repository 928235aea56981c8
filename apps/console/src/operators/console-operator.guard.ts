import { CanActivate, createParamDecorator, ExecutionContext, ForbiddenException, Injectable, Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { checkOperator, isCrossSite, OperatorCredentials, OperatorRequest } from '@reliable-payments/http';
import { cookieValue, OperatorSessions, SESSION_COOKIE } from './operator-sessions';

const CONSOLE_OPERATOR = Symbol('console-operator');
type ConsoleRequest = OperatorRequest & { [CONSOLE_OPERATOR]?: OperatorCredentials };

/**
 * Refuses a state-changing request sent from another site (`isCrossSite`: `Sec-Fetch-Site` or
 * `Origin` naming another site). Every app already refuses those before routing (`refuseCrossSite`);
 * the guard says it again where an action runs. (The session cookie is SameSite=Strict as well.)
 */
export function assertSameSite(request: FastifyRequest): void {
  if (isCrossSite(request.headers)) throw new ForbiddenException('cross-site request refused');
}

/**
 * Console actions and operator reads (dead letters, the audit trail): a signed-in session, or an
 * operator's token as `Authorization: Bearer` for scripts. The services' check (`checkOperator`,
 * @reliable-payments/http): one Bearer parser, one token rule, one message, fail closed, actions logged, reads not.
 */
@Injectable()
export class ConsoleOperatorGuard implements CanActivate {
  private readonly logger = new Logger('ConsoleOperator');

  constructor(private readonly sessions: OperatorSessions) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<ConsoleRequest>();
    if (request.method !== 'GET' && this.sessions.enabled) assertSameSite(request);
    request[CONSOLE_OPERATOR] = checkOperator(request, this.sessions.operators, this.logger, () =>
      this.sessions.operatorOf(cookieValue(request.headers.cookie, SESSION_COOKIE)),
    );
    return true;
  }
}

/** The operator who signed this console request (name and token); set by ConsoleOperatorGuard. */
export const ConsoleOperator = createParamDecorator((_data: unknown, context: ExecutionContext): OperatorCredentials => {
  const operator = context.switchToHttp().getRequest<ConsoleRequest>()[CONSOLE_OPERATOR];
  if (!operator) throw new Error('ConsoleOperator used on a route without ConsoleOperatorGuard');
  return operator;
});
