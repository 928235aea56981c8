import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { ConsoleConfig } from '@reliable-payments/config';
import { bearerToken, OperatorCredentials, operatorOf } from '@reliable-payments/http';
import { CONSOLE_CONFIG } from '../console.options';

export const SESSION_COOKIE = 'console_session';
const SESSION_MS = 12 * 60 * 60 * 1000;
const MAX_SESSIONS = 1_000;

/**
 * Operator sessions: a token is entered once, checked here against OPERATOR_TOKEN and
 * OPERATOR_TOKENS, and exchanged for a random session id kept in an HttpOnly, SameSite=Strict
 * cookie. The session remembers which operator signed in (name and token, server-side only): the
 * console forwards that operator's own token to the services, so their audit trail names the
 * operator (docs/console.md, "Who the services see"). The token never goes back to the browser.
 * Sessions live in memory: a console restart signs everyone out, which fails closed.
 */
@Injectable()
export class OperatorSessions {
  private readonly sessions = new Map<string, { operator: OperatorCredentials; expires: number }>();

  constructor(@Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig) {}

  get enabled(): boolean {
    return this.config.operators.length > 0;
  }

  get operators(): ReadonlyArray<OperatorCredentials> {
    return this.config.operators;
  }

  /** The operator whose token this is (every token compared in constant time), or undefined. */
  authenticate(given: unknown): OperatorCredentials | undefined {
    if (typeof given !== 'string') return undefined;
    const name = operatorOf(given, this.config.operators);
    return name === undefined ? undefined : this.config.operators.find((o) => o.name === name);
  }

  open(operator: OperatorCredentials): { id: string; maxAgeSeconds: number } {
    const now = Date.now();
    for (const [id, session] of this.sessions) if (session.expires <= now) this.sessions.delete(id);
    if (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value as string);
    const id = randomBytes(32).toString('base64url');
    this.sessions.set(id, { operator, expires: now + SESSION_MS });
    return { id, maxAgeSeconds: SESSION_MS / 1000 };
  }

  /** The signed-in operator of a session id, or undefined (unknown or expired). */
  operatorOf(id: string | undefined): OperatorCredentials | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(id);
    if (session === undefined) return undefined;
    if (session.expires > Date.now()) return session.operator;
    this.sessions.delete(id);
    return undefined;
  }

  /**
   * The operator behind a read that anyone may make (`/api/snapshot`, `/api/stream`): a session
   * cookie, or a Bearer token (the one parser, `bearerToken`). Undefined: an anonymous viewer,
   * who gets the public view, not a 401.
   */
  viewer(headers: { authorization?: string; cookie?: string }): OperatorCredentials | undefined {
    if (headers.authorization !== undefined) return this.authenticate(bearerToken(headers.authorization));
    return this.operatorOf(cookieValue(headers.cookie, SESSION_COOKIE));
  }

  isValid(id: string | undefined): boolean {
    return this.operatorOf(id) !== undefined;
  }

  close(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }
}

/** One cookie's value from a Cookie header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

/** The session cookie; `secure` whenever the page is served over HTTPS (`servedOverHttps`). */
export function sessionCookie(id: string, maxAgeSeconds: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

/**
 * Whether the browser reached the console over HTTPS: a TLS socket, or, behind a proxy the
 * operator told us to trust (CONSOLE_TRUST_PROXY=true), `X-Forwarded-Proto: https` (its first
 * value: the one the proxy nearest the browser wrote). An untrusted header is ignored: anyone can send it.
 */
export function servedOverHttps(request: { headers: Record<string, string | string[] | undefined>; raw: { socket: unknown } }, trustProxy: boolean): boolean {
  if ((request.raw.socket as { encrypted?: boolean } | undefined)?.encrypted === true) return true;
  if (!trustProxy) return false;
  const forwarded = request.headers['x-forwarded-proto'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim().toLowerCase();
  return first === 'https';
}
