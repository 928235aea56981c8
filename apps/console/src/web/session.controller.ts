import { Body, Controller, Delete, ForbiddenException, Get, HttpCode, Post, Req, Res, UnauthorizedException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { OPERATOR_TOKEN_REFUSED, presentedOperatorToken, ZodValidationPipe } from '@reliable-payments/http';
import { assertSameSite } from './operator.guard';
import { cookieValue, OperatorSessions, SESSION_COOKIE, sessionCookie } from './operator-session';

const signIn = z.strictObject({ token: presentedOperatorToken });

/** Sign in once with the operator token; the browser keeps only an HttpOnly session cookie. */
@Controller('api/session')
export class SessionController {
  constructor(private readonly sessions: OperatorSessions) {}

  @Get()
  state(@Req() request: FastifyRequest) {
    return { operatorEnabled: this.sessions.enabled, signedIn: this.sessions.isValid(cookieValue(request.headers.cookie, SESSION_COOKIE)) };
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
    if (!this.sessions.enabled) throw new ForbiddenException('operator API disabled (OPERATOR_TOKEN is not set)');
    if (!this.sessions.tokenMatches(body.token)) {
      if (fromForm) return void reply.redirect('/?signin=failed', 303);
      throw new UnauthorizedException(OPERATOR_TOKEN_REFUSED);
    }
    const session = this.sessions.open();
    void reply.header('set-cookie', sessionCookie(session.id, session.maxAgeSeconds));
    if (fromForm) return void reply.redirect('/', 303);
    return { signedIn: true };
  }

  @Post('sign-out')
  signOut(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    this.close(request, reply);
    void reply.redirect('/', 303);
  }

  @Delete()
  close(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    assertSameSite(request);
    this.sessions.close(cookieValue(request.headers.cookie, SESSION_COOKIE));
    void reply.header('set-cookie', sessionCookie('', 0));
    return { signedIn: false };
  }
}

function isForm(request: FastifyRequest): boolean {
  return (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
}
