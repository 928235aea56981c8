import {
  applyDecorators,
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  Logger,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { OPERATOR_AUTH_OPTIONS, OperatorAuthOptions } from './operator-auth.options';
import { bearerToken, OPERATOR_TOKEN_REFUSED, operatorOf } from './operator-token';

/** The operator a request was signed by, set by the guard (`@OperatorName()` reads it). */
export const OPERATOR_NAME = Symbol('operator-name');
export type OperatorRequest = FastifyRequest & { [OPERATOR_NAME]?: string };

/** An operator as the guards know one: a name (written in the audit trail) and a token. */
export interface OperatorCredentials {
  name: string;
  token: string;
}

/**
 * The one operator check every guard runs (the services' `OperatorGuard`, the console's): fail
 * closed with no operators configured (403), one Bearer parser (`bearerToken`), constant-time
 * comparison against every token (`operatorOf`), one refusal message. `fallback` lets the console
 * accept a signed-in session when no Authorization header is sent. Refusals and actions (anything
 * but a read) are logged with method, path and operator, never the presented token; reads are not
 * logged: a console polling every second would bury the actions (issue 21).
 * Returns the operator's credentials; sets `request[OPERATOR_NAME]`.
 */
export function checkOperator(
  request: OperatorRequest,
  operators: ReadonlyArray<OperatorCredentials>,
  logger: Logger,
  fallback?: () => OperatorCredentials | undefined,
): OperatorCredentials {
  const what = `${request.method} ${request.url.split('?')[0]}`;
  if (operators.length === 0) {
    logger.warn(`refused ${what}: operator API disabled`);
    throw new ForbiddenException('operator API disabled; start with OPERATOR_TOKEN or OPERATOR_TOKENS set');
  }
  const header = request.headers.authorization;
  let operator: OperatorCredentials | undefined;
  if (header !== undefined || !fallback) {
    const presented = bearerToken(header);
    const name = operatorOf(presented, operators);
    operator = name === undefined ? undefined : operators.find((o) => o.name === name);
  } else operator = fallback();
  if (operator === undefined) {
    logger.warn(`refused ${what} from ${request.ip}: missing or wrong operator token`);
    throw new UnauthorizedException(OPERATOR_TOKEN_REFUSED);
  }
  request[OPERATOR_NAME] = operator.name;
  if (request.method !== 'GET' && request.method !== 'HEAD') logger.log(`operator ${operator.name}: ${what}`);
  return operator;
}

/**
 * Guards operator routes (anything that changes state or reveals stored messages):
 * `Authorization: Bearer <OPERATOR_TOKEN>`, see `checkOperator`. Without a configured token every
 * operator route answers 403, so a deployment that forgot the secret is closed, not open.
 */
@Injectable()
export class OperatorGuard implements CanActivate {
  private readonly logger = new Logger('Operator');

  private readonly operators: ReadonlyArray<OperatorCredentials>;

  constructor(@Inject(OPERATOR_AUTH_OPTIONS) options: OperatorAuthOptions) {
    this.operators = options.operators ?? (options.token ? [{ name: 'operator', token: options.token }] : []);
  }

  canActivate(context: ExecutionContext): boolean {
    checkOperator(context.switchToHttp().getRequest<OperatorRequest>(), this.operators, this.logger);
    return true;
  }
}

/** The name of the operator who signed this request (an operator route's handler parameter). */
export const OperatorName = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string => context.switchToHttp().getRequest<OperatorRequest>()[OPERATOR_NAME] ?? 'unknown',
);

/** Marks a controller or route as an operator route (see OperatorGuard). */
export const OperatorRoute = () => applyDecorators(UseGuards(OperatorGuard));
