import type { FastifyRequest } from 'fastify';
import { ConsoleConfig } from '@reliable-payments/config';
import { assertSameSite } from './console-operator.guard';
import { cookieValue, OperatorSessions, servedOverHttps, sessionCookie } from './operator-sessions';

const request = (headers: Record<string, string>) => ({ headers: { host: 'console.local:3003', ...headers } }) as unknown as FastifyRequest;
const config = (...operators: Array<{ name: string; token: string }>) => ({ operators }) as ConsoleConfig;

describe('operator sessions', () => {
  it('names the operator whose token signed in, and opens sessions that can be closed', () => {
    const sessions = new OperatorSessions(config({ name: 'operator', token: 'a-token-of-16-chars' }, { name: 'alice', token: 'alice-token-0123456' }));
    expect(sessions.authenticate('a-token-of-16-chars')?.name).toBe('operator');
    expect(sessions.authenticate('alice-token-0123456')?.name).toBe('alice');
    expect(sessions.authenticate('a-token-of-16-charz')).toBeUndefined();
    expect(sessions.authenticate('short')).toBeUndefined();
    expect(sessions.authenticate(undefined)).toBeUndefined();
    const { id } = sessions.open(sessions.authenticate('alice-token-0123456')!);
    expect(sessions.operatorOf(id)?.name).toBe('alice');
    expect(sessions.isValid('forged')).toBe(false);
    sessions.close(id);
    expect(sessions.isValid(id)).toBe(false);
  });

  it('fails closed without a configured token', () => {
    const sessions = new OperatorSessions(config());
    expect(sessions.enabled).toBe(false);
    expect(sessions.authenticate('')).toBeUndefined();
  });

  it('writes an HttpOnly, SameSite=Strict cookie, Secure over HTTPS, and reads it back', () => {
    expect(sessionCookie('abc', 60, false)).toBe('console_session=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=60');
    expect(sessionCookie('abc', 60, true)).toBe('console_session=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=60; Secure');
    expect(cookieValue('x=1; console_session=abc; y=2', 'console_session')).toBe('abc');
    expect(cookieValue(undefined, 'console_session')).toBeUndefined();
  });

  it('knows HTTPS from a TLS socket, or from X-Forwarded-Proto only behind a trusted proxy', () => {
    const plain = (headers: Record<string, string> = {}) => ({ headers, raw: { socket: {} } });
    expect(servedOverHttps({ headers: {}, raw: { socket: { encrypted: true } } }, false)).toBe(true);
    expect(servedOverHttps(plain(), true)).toBe(false);
    expect(servedOverHttps(plain({ 'x-forwarded-proto': 'https' }), false)).toBe(false); // anyone can send the header
    expect(servedOverHttps(plain({ 'x-forwarded-proto': 'https' }), true)).toBe(true);
    expect(servedOverHttps(plain({ 'x-forwarded-proto': 'HTTPS, http' }), true)).toBe(true);
    expect(servedOverHttps(plain({ 'x-forwarded-proto': 'http' }), true)).toBe(false);
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
