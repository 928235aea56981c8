import { ConfigError } from './env';
import { loadConsoleConfig } from './console.config';
import { loadOrderServiceConfig } from './order-service.config';
import { loadConsumerServiceConfig } from './consumer-service.config';

const consumer = (env: Record<string, string>) =>
  loadConsumerServiceConfig('COUPON', { port: 3001, database: 'coupon_service', serviceName: 'coupon-service' }, env);

describe('HTTP server settings (HOST, HTTP_*_TIMEOUT)', () => {
  it('default to loopback and a stalled request answered within 30 s, for every service', () => {
    const defaults = { host: '127.0.0.1', requestTimeoutMs: 30_000, headersTimeoutMs: 10_000, keepAliveTimeoutMs: 72_000, connectionTimeoutMs: 30_000 };
    expect(loadOrderServiceConfig({}).http).toEqual(defaults);
    expect(consumer({}).http).toEqual(defaults);
    expect(loadConsoleConfig({}).http).toEqual(defaults);
  });

  it('take HOST and the time-outs from the environment', () => {
    expect(loadOrderServiceConfig({ HOST: '0.0.0.0', HTTP_REQUEST_TIMEOUT: '5s', HTTP_HEADERS_TIMEOUT: '2s' }).http).toMatchObject({
      host: '0.0.0.0',
      requestTimeoutMs: 5_000,
      headersTimeoutMs: 2_000,
    });
  });

  it('refuse a bad value, naming the variable', () => {
    expect(() => loadOrderServiceConfig({ HOST: 'not a host!' })).toThrow(/HOST/);
    expect(() => consumer({ HTTP_REQUEST_TIMEOUT: 'soon' })).toThrow(/HTTP_REQUEST_TIMEOUT/);
    expect(() => loadConsoleConfig({ HTTP_REQUEST_TIMEOUT: '1s', HTTP_HEADERS_TIMEOUT: '2s' })).toThrow(ConfigError);
  });
});
