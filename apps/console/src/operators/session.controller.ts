import {
  Body,
  Controller,
  Delete,
  ForbiddenException,
  Get,
  HttpCode,
  HttpException,
  HttpStatus,
  Inject,
  Post,
  Req,
  Res,
  UnauthorizedException,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ConsoleConfig } from '@reliable-payments/config';
import { OPERATOR_TOKEN_REFUSED, presentedOperatorToken, ZodValidationPipe } from '@reliable-payments/http';
import { CONSOLE_CONFIG } from '../console.options';
import { ConsoleAudit } from './console-audit';
import { assertSameSite } from './console-operator.guard';
import { cookieValue, OperatorSessions, servedOverHttps, SESSION_COOKIE, sessionCookie } from './operator-sessions';
import { SignInLimiter } from './sign-in-limiter';

// The services' rule: a 600-character token is "too long", not "required" (presentedOperatorToken).
const signIn = z.strictObject({ token: presentedOperatorToken });

/**
 * Sign in once with an operator's token (OPERATOR_TOKEN or one of OPERATOR_TOKENS); the browser
 * keeps only an HttpOnly session cookie. Failed sign-ins are limited per client and in all
 * (`SignInLimiter`), and every sign-in, failure and refusal goes to the console's audit trail.
 */
@Controller('api/session')
export class SessionController {
  private readonly limiter = new SignInLimiter();

  constructor(
    private readonly sessions: OperatorSessions,
    private readonly audit: ConsoleAudit,
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
  ) {}

  @Get()
  state(@Req() request: FastifyRequest) {
    const operator = this.sessions.operatorOf(cookieValue(request.headers.cookie, SESSION_COOKIE));
    return { operatorEnabled: this.sessions.enabled, signedIn: operator !== undefined, operator: operator?.name ?? null };
  }

  /**
   * JSON `{token}` answers JSON; the page's plain form post (urlencoded) is answered with a
   * redirect back to the page, so the token is sent by the browser itself, never by a script.
   */
  @Post()
  @HttpCode(200)
  open(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Body(new ZodValidationPipe(signIn)) body: z.infer<typeof signIn>) {
    assertSameSite(request);
    const fromForm = isForm(request);
    if (!this.sessions.enabled) throw new ForbiddenException('operator API disabled; start with OPERATOR_TOKEN or OPERATOR_TOKENS set');
    const client = request.ip;
    const wait = this.limiter.retryAfterSeconds(client);
    if (wait !== undefined) {
      this.audit.record({
        operator: 'unknown',
        action: 'sign-in-limited',
        target: client,
        comment: null,
        outcome: `refused: too many failed sign-ins, retry in ${wait}s`,
      });
      void reply.header('retry-after', String(wait));
      if (fromForm) return void reply.redirect('/?signin=limited', 303);
      throw new HttpException(
        { statusCode: 429, error: 'Too Many Requests', message: `too many failed sign-ins; try again in ${wait}s` },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    const operator = this.sessions.authenticate(body.token);
    if (!operator) {
      this.limiter.failed(client);
      this.audit.record({
        operator: 'unknown',
        action: 'sign-in-failed',
        target: client,
        comment: null,
        outcome: `refused: wrong token (${body.token.length} characters)`,
      });
      if (fromForm) return void reply.redirect('/?signin=failed', 303);
      throw new UnauthorizedException(OPERATOR_TOKEN_REFUSED);
    }
    const session = this.sessions.open(operator);
    this.audit.record({ operator: operator.name, action: 'sign-in', target: client, comment: null, outcome: 'signed in' });
    void reply.header('set-cookie', sessionCookie(session.id, session.maxAgeSeconds, servedOverHttps(request, this.config.trustProxy)));
    if (fromForm) return void reply.redirect('/', 303);
    return { signedIn: true, operator: operator.name };
  }

  @Post('sign-out')
  signOut(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    this.close(request, reply);
    void reply.redirect('/', 303);
  }

  @Delete()
  close(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    assertSameSite(request);
    const id = cookieValue(request.headers.cookie, SESSION_COOKIE);
    const operator = this.sessions.operatorOf(id);
    if (operator) this.audit.record({ operator: operator.name, action: 'sign-out', target: request.ip, comment: null, outcome: 'signed out' });
    this.sessions.close(id);
    void reply.header('set-cookie', sessionCookie('', 0, servedOverHttps(request, this.config.trustProxy)));
    return { signedIn: false };
  }
}

function isForm(request: FastifyRequest): boolean {
  return (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
}
