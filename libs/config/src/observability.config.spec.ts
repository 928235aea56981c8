import { COUPON_CONSUMER } from '@reliable-payments/contracts';
import { ConfigError } from './env';
import { loadConsumerServiceConfig, loadOrderServiceConfig } from './service.config';

const loadCouponServiceConfig = (env: Record<string, string>) =>
  loadConsumerServiceConfig('COUPON', { port: 3001, database: 'coupon_service', serviceName: COUPON_CONSUMER.name }, env);

describe('observability configuration', () => {
  it('keeps tracing off unless an OTLP endpoint is set, and off again with OTEL_SDK_DISABLED', () => {
    expect(loadOrderServiceConfig({}).observability.tracing).toEqual({ enabled: false });
    expect(loadOrderServiceConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318/' }).observability.tracing).toEqual({
      enabled: true,
      tracesUrl: 'http://jaeger:4318/v1/traces',
      headers: {},
    });
    expect(loadOrderServiceConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318', OTEL_SDK_DISABLED: 'true' }).observability.tracing).toEqual({
      enabled: false,
    });
  });

  it('uses a signal-specific endpoint as given, and parses OTLP headers', () => {
    const config = loadOrderServiceConfig({
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://otel.example/traces',
      OTEL_EXPORTER_OTLP_HEADERS: 'api-key=a%3Db,x=y',
    });
    expect(config.observability.tracing).toEqual({ enabled: true, tracesUrl: 'https://otel.example/traces', headers: { 'api-key': 'a=b', x: 'y' } });
  });

  it('names the service by default and lets OTEL_SERVICE_NAME override it', () => {
    expect(loadCouponServiceConfig({}).observability.serviceName).toBe('coupon-service');
    expect(loadCouponServiceConfig({ OTEL_SERVICE_NAME: 'coupons-eu' }).observability.serviceName).toBe('coupons-eu');
  });

  it('reads the standard sampler and instrumentation switches', () => {
    expect(
      loadOrderServiceConfig({
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.1',
        OTEL_NODE_ENABLED_INSTRUMENTATIONS: ' mysql2 ',
      }).observability,
    ).toMatchObject({
      sampler: { name: 'parentbased_traceidratio', ratio: 0.1 },
      instrumentations: ['mysql2'],
    });
    expect(() => loadOrderServiceConfig({ OTEL_TRACES_SAMPLER_ARG: '2' })).toThrow(/OTEL_TRACES_SAMPLER_ARG/);
    expect(() => loadOrderServiceConfig({ OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'fs' })).toThrow(/OTEL_NODE_ENABLED_INSTRUMENTATIONS/);
    expect(() => loadOrderServiceConfig({ OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'fs' })).toThrow(/OTEL_NODE_DISABLED_INSTRUMENTATIONS/);
  });

  it('leaves the SQL statement spans off unless enabled, and lets the disabled list win', () => {
    expect(loadOrderServiceConfig({}).observability.instrumentations).toEqual([]);
    expect(
      loadOrderServiceConfig({ OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'mysql2', OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'mysql2' }).observability.instrumentations,
    ).toEqual([]);
  });

  it('refuses a protocol it cannot export and a log format it does not know, naming the variable', () => {
    expect(() => loadOrderServiceConfig({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toThrow(ConfigError);
    expect(() => loadOrderServiceConfig({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toThrow(/OTEL_EXPORTER_OTLP_PROTOCOL/);
    expect(() => loadOrderServiceConfig({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT/);
    expect(loadOrderServiceConfig({ LOG_FORMAT: 'json', METRICS_ENABLED: 'false' }).observability).toMatchObject({ logFormat: 'json', metricsEnabled: false });
  });
});
