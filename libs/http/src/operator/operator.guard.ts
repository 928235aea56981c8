import { applyDecorators, CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, Logger, UnauthorizedException, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { OPERATOR_AUTH_OPTIONS, OperatorAuthOptions } from './operator-auth.options';
import { bearerToken, tokenMatches } from './operator-token';

/**
 * Guards operator routes (anything that changes state or reveals stored messages):
 * `Authorization: Bearer <OPERATOR_TOKEN>`. Without a configured token every operator route
 * answers 403, so a deployment that forgot the secret is closed, not open. Every decision is
 * logged with method and path (never the presented token).
 */
@Injectable()
export class OperatorGuard implements CanActivate {
  private readonly logger = new Logger('Operator');

  constructor(@Inject(OPERATOR_AUTH_OPTIONS) private readonly options: OperatorAuthOptions) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const what = `${request.method} ${request.url.split('?')[0]}`;
    if (!this.options.token) {
      this.logger.warn(`refused ${what}: operator API disabled`);
      throw new ForbiddenException('operator API disabled; start the service with OPERATOR_TOKEN set');
    }
    if (!tokenMatches(bearerToken(request.headers.authorization), this.options.token)) {
      this.logger.warn(`refused ${what} from ${request.ip}: missing or wrong operator token`);
      throw new UnauthorizedException('missing or wrong operator token (Authorization: Bearer <OPERATOR_TOKEN>)');
    }
    this.logger.log(`operator ${what}`);
    return true;
  }
}

/** Marks a controller or route as an operator route (see OperatorGuard). */
export const OperatorRoute = () => applyDecorators(UseGuards(OperatorGuard));
