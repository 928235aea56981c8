import { applyDecorators, CanActivate, createParamDecorator, ExecutionContext, ForbiddenException, Inject, Injectable, Logger, UnauthorizedException, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { OPERATOR_AUTH_OPTIONS, OperatorAuthOptions } from './operator-auth.options';
import { bearerToken, OPERATOR_TOKEN_REFUSED, operatorOf } from './operator-token';

/** The operator a request was signed by, set by the guard (`@OperatorName()` reads it). */
export const OPERATOR_NAME = Symbol('operator-name');
export type OperatorRequest = FastifyRequest & { [OPERATOR_NAME]?: string };

/**
 * Guards operator routes (anything that changes state or reveals stored messages):
 * `Authorization: Bearer <OPERATOR_TOKEN>`. Without a configured token every operator route
 * answers 403, so a deployment that forgot the secret is closed, not open. Refusals and actions
 * (anything but a read) are logged with method, path and operator (never the presented token);
 * reads are not: a console polling every second would bury the actions.
 */
@Injectable()
export class OperatorGuard implements CanActivate {
  private readonly logger = new Logger('Operator');

  private readonly operators: ReadonlyArray<{ name: string; token: string }>;

  constructor(@Inject(OPERATOR_AUTH_OPTIONS) options: OperatorAuthOptions) {
    this.operators = options.operators ?? (options.token ? [{ name: 'operator', token: options.token }] : []);
  }


  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<OperatorRequest>();
    const what = `${request.method} ${request.url.split('?')[0]}`;
    if (this.operators.length === 0) {
      this.logger.warn(`refused ${what}: operator API disabled`);
      throw new ForbiddenException('operator API disabled; start the service with OPERATOR_TOKEN set');
    }
    const operator = operatorOf(bearerToken(request.headers.authorization), this.operators);
    if (operator === undefined) {
      this.logger.warn(`refused ${what} from ${request.ip}: missing or wrong operator token`);
      throw new UnauthorizedException(OPERATOR_TOKEN_REFUSED);
    }
    request[OPERATOR_NAME] = operator;
    if (request.method !== 'GET' && request.method !== 'HEAD') this.logger.log(`operator ${operator}: ${what}`);
    return true;
  }
}

/** The name of the operator who signed this request (an operator route's handler parameter). */
export const OperatorName = createParamDecorator((_data: unknown, context: ExecutionContext): string => context.switchToHttp().getRequest<OperatorRequest>()[OPERATOR_NAME] ?? 'unknown');

/** Marks a controller or route as an operator route (see OperatorGuard). */
export const OperatorRoute = () => applyDecorators(UseGuards(OperatorGuard));
