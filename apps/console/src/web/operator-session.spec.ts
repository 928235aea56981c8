import type { FastifyRequest } from 'fastify';
import { ConsoleConfig } from '@reliable-payments/config';
import { assertSameSite } from './operator.guard';
import { cookieValue, OperatorSessions, sessionCookie } from './operator-session';

const request = (headers: Record<string, string>) => ({ headers: { host: 'console.local:3003', ...headers } }) as unknown as FastifyRequest;
const config = (operatorToken?: string) => ({ operatorToken }) as ConsoleConfig;

describe('operator sessions', () => {
  it('checks the token and opens sessions that can be closed', () => {
    const sessions = new OperatorSessions(config('a-token-of-16-chars'));
    expect(sessions.tokenMatches('a-token-of-16-chars')).toBe(true);
    expect(sessions.tokenMatches('a-token-of-16-charz')).toBe(false);
    expect(sessions.tokenMatches('short')).toBe(false);
    expect(sessions.tokenMatches(undefined)).toBe(false);
    const { id } = sessions.open();
    expect(sessions.isValid(id)).toBe(true);
    expect(sessions.isValid('forged')).toBe(false);
    sessions.close(id);
    expect(sessions.isValid(id)).toBe(false);
  });

  it('fails closed without a configured token', () => {
    const sessions = new OperatorSessions(config());
    expect(sessions.enabled).toBe(false);
    expect(sessions.tokenMatches('')).toBe(false);
  });

  it('writes an HttpOnly, SameSite=Strict cookie and reads it back', () => {
    expect(sessionCookie('abc', 60)).toBe('console_session=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=60');
    expect(cookieValue('x=1; console_session=abc; y=2', 'console_session')).toBe('abc');
    expect(cookieValue(undefined, 'console_session')).toBeUndefined();
  });
});

describe('assertSameSite', () => {
  it.each([
    [{}],
    [{ 'sec-fetch-site': 'same-origin' }],
    [{ origin: 'http://console.local:3003' }],
    [{ 'sec-fetch-site': 'same-origin', origin: 'http://console.local:3003' }],
  ])('lets a same-site request through: %p', (headers) => {
    expect(() => assertSameSite(request(headers))).not.toThrow();
  });

  it.each([
    [{ 'sec-fetch-site': 'cross-site' }],
    [{ 'sec-fetch-site': 'same-site' }],
    [{ origin: 'http://evil.example' }],
    [{ origin: 'null' }],
    [{ origin: 'http://console.local:3003.evil.example' }],
  ])('refuses a cross-site request: %p', (headers) => {
    expect(() => assertSameSite(request(headers))).toThrow('cross-site request refused');
  });
});
