import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { ConsoleConfig } from '@reliable-payments/config';
import { tokenMatches } from '@reliable-payments/http';
import { CONSOLE_CONFIG } from '../console.options';

export const SESSION_COOKIE = 'console_session';
const SESSION_MS = 12 * 60 * 60 * 1000;
const MAX_SESSIONS = 1_000;

/**
 * Operator sessions: the token is entered once, checked here, and exchanged for a random session
 * id kept in an HttpOnly, SameSite=Strict cookie. The token itself never goes back to the browser.
 * Sessions live in memory: a console restart signs everyone out, which fails closed.
 */
@Injectable()
export class OperatorSessions {
  private readonly sessions = new Map<string, number>();

  constructor(@Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig) {}

  get enabled(): boolean {
    return this.config.operatorToken !== undefined;
  }

  /** The services' comparison (`tokenMatches`, @reliable-payments/http): constant time, of digests. */
  tokenMatches(given: unknown): boolean {
    if (!this.config.operatorToken || typeof given !== 'string') return false;
    return tokenMatches(given, this.config.operatorToken);
  }

  open(): { id: string; maxAgeSeconds: number } {
    const now = Date.now();
    for (const [id, expires] of this.sessions) if (expires <= now) this.sessions.delete(id);
    if (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value as string);
    const id = randomBytes(32).toString('base64url');
    this.sessions.set(id, now + SESSION_MS);
    return { id, maxAgeSeconds: SESSION_MS / 1000 };
  }

  isValid(id: string | undefined): boolean {
    if (!id) return false;
    const expires = this.sessions.get(id);
    if (expires === undefined) return false;
    if (expires > Date.now()) return true;
    this.sessions.delete(id);
    return false;
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

export function sessionCookie(id: string, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}`;
}
