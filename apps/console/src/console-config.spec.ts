import { loadConsoleConfig } from '@reliable-payments/config';

/** The console reads the services' operator variables with the services' rules, and LOG_FORMAT like them. */
describe('console configuration', () => {
  const token = 'a-token-of-at-least-16';

  it('names every operator: OPERATOR_TOKEN as `operator`, then OPERATOR_TOKENS', () => {
    const config = loadConsoleConfig({ OPERATOR_TOKEN: token, OPERATOR_TOKENS: 'alice:alice-token-0123456,bob:bob-token-01234567' });
    expect(config.operators.map((o) => o.name)).toEqual(['operator', 'alice', 'bob']);
    expect(config.readToken).toBe(token);
    expect(loadConsoleConfig({ OPERATOR_TOKENS: 'alice:alice-token-0123456' }).readToken).toBe('alice-token-0123456');
    expect(loadConsoleConfig({}).operators).toEqual([]);
  });

  it('refuses a token the services would refuse, naming the variable', () => {
    expect(() => loadConsoleConfig({ OPERATOR_TOKEN: 'has a space in it, sixteen+' })).toThrow(/OPERATOR_TOKEN/);
    expect(() => loadConsoleConfig({ OPERATOR_TOKEN: 'x'.repeat(257) })).toThrow(/OPERATOR_TOKEN/);
    expect(() => loadConsoleConfig({ OPERATOR_TOKENS: 'alice:short' })).toThrow(/OPERATOR_TOKENS/);
  });

  it('reads CONSOLE_TRUST_PROXY and LOG_FORMAT', () => {
    expect(loadConsoleConfig({})).toMatchObject({ trustProxy: false, logFormat: 'pretty' });
    expect(loadConsoleConfig({ CONSOLE_TRUST_PROXY: 'true', LOG_FORMAT: 'json' })).toMatchObject({ trustProxy: true, logFormat: 'json' });
    expect(() => loadConsoleConfig({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT/);
    expect(() => loadConsoleConfig({ CONSOLE_TRUST_PROXY: 'yes' })).toThrow(/CONSOLE_TRUST_PROXY/);
  });
});
