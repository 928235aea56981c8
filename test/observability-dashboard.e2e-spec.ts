import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { familyNames } from '@reliable-payments/metrics';
import { TestSystem } from './support/test-system';

const ROOT = join(__dirname, '..');
const dashboard = JSON.parse(readFileSync(join(ROOT, 'deploy/observability/grafana/dashboards/payments.json'), 'utf8')) as {
  panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
};

/** PromQL words that are not metric names. */
const PROMQL = new Set([
  'sum',
  'max',
  'min',
  'avg',
  'count',
  'rate',
  'increase',
  'irate',
  'histogram_quantile',
  'by',
  'without',
  'on',
  'ignoring',
  'and',
  'or',
  'unless',
  'offset',
]);

/** The metric names a PromQL expression reads: label matchers, grouping labels, ranges and numbers removed. */
function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/\{[^}]*\}/g, '')
    .replace(/\b(by|without)\s*\([^)]*\)/g, '')
    .replace(/\[[^\]]*\]/g, '');
  return [...stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)].map((m) => m[0]).filter((word) => !PROMQL.has(word));
}

/** The provisioned dashboard and the Prometheus config name what the services really export and where they run. */
describe('observability deployment files', () => {
  const system = new TestSystem();
  afterAll(() => system.cleanup());

  it('queries only metrics the services export', async () => {
    const { order, coupon, redPacket } = await system.startAll();
    const exported = new Set<string>();
    for (const service of [order, coupon, redPacket]) {
      for (const family of familyNames(await (await fetch(`${service.url}/metrics`)).text())) {
        for (const suffix of ['', '_bucket', '_sum', '_count']) exported.add(`${family}${suffix}`);
      }
    }
    const queried = dashboard.panels.flatMap((p) => p.targets.flatMap((t) => metricNames(t.expr)));
    expect(queried.length).toBeGreaterThan(10);
    expect(queried.filter((name) => !exported.has(name))).toEqual([]);
    // The panels: backlog, publish rate, outcomes, retries, lag percentiles, dead letters, paused.
    for (const name of [
      'outbox_pending_messages',
      'outbox_published_total',
      'messages_consumed_total',
      'message_retries_total',
      'message_end_to_end_lag_seconds_bucket',
      'dead_letters_pending',
      'consumer_paused',
    ]) {
      expect(queried).toContain(name);
    }
  });

  it('scrapes the compose services on the ports they listen on, and binds every observability port to 127.0.0.1', () => {
    const prometheus = parse(readFileSync(join(ROOT, 'deploy/observability/prometheus.yml'), 'utf8')) as {
      scrape_configs: Array<{ static_configs: Array<{ targets: string[] }> }>;
    };
    const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
      services: Record<string, { environment?: Record<string, string>; ports?: string[]; volumes?: string[] }>;
    };
    const targets = prometheus.scrape_configs.flatMap((c) => c.static_configs.flatMap((s) => s.targets));
    const ports: Record<string, string> = { 'order-service': 'ORDER_PORT', 'coupon-service': 'COUPON_PORT', 'red-packet-service': 'RED_PACKET_PORT' };
    expect(targets.sort()).toEqual(
      Object.keys(ports)
        .map((name) => `${name}:${compose.services[name].environment?.[ports[name]]}`)
        .sort(),
    );
    for (const name of ['prometheus', 'grafana', 'jaeger']) {
      expect(compose.services[name].ports?.length).toBeGreaterThan(0);
      for (const port of compose.services[name].ports ?? []) expect({ name, port }).toEqual({ name, port: expect.stringMatching(/^127\.0\.0\.1:/) });
    }
    expect(compose.services.prometheus.volumes).toContain('./deploy/observability/prometheus.yml:/etc/prometheus/prometheus.yml:ro');
    // Every service logs JSON and sends its traces to Jaeger.
    for (const name of Object.keys(ports)) {
      expect(compose.services[name].environment).toMatchObject({
        LOG_FORMAT: 'json',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      });
    }
  });
});

describe('metricNames', () => {
  it('reads metric names out of PromQL', () => {
    expect(metricNames('histogram_quantile(0.95, sum by (le, service) (rate(message_end_to_end_lag_seconds_bucket{queue=~".+"}[5m])))')).toEqual([
      'message_end_to_end_lag_seconds_bucket',
    ]);
    expect(metricNames('sum(outbox_pending_messages) + max by (service) (consumer_paused)')).toEqual(['outbox_pending_messages', 'consumer_paused']);
  });
});
