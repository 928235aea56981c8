import { z } from 'zod';
import { bool } from './env';

export type LogFormat = 'json' | 'pretty';

/** Logs, metrics and traces of one service. */
export interface ObservabilityConfig {
  /** `service` on every log line and metric, and the trace resource's service.name (OTEL_SERVICE_NAME wins). */
  serviceName: string;
  logFormat: LogFormat;
  /** `GET /metrics` and the hooks that feed it (METRICS_ENABLED, on by default). */
  metricsEnabled: boolean;
  /** Traces are exported only when an OTLP endpoint is set and the SDK is not disabled. */
  tracing: { enabled: false } | { enabled: true; tracesUrl: string; headers: Record<string, string> };
  /** OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG: which traces are recorded (default: all, parent decides). */
  sampler: { name: TracesSampler; ratio: number };
  /**
   * The library instrumentations turned on: OTEL_NODE_ENABLED_INSTRUMENTATIONS less
   * OTEL_NODE_DISABLED_INSTRUMENTATIONS. `mysql2` (a span per SQL statement) is the only one, and off
   * by default: see docs/performance.md, "Cost of metrics and tracing".
   */
  instrumentations: Instrumentation[];
}

export const INSTRUMENTATIONS = ['mysql2'] as const;
export type Instrumentation = (typeof INSTRUMENTATIONS)[number];

/** A comma-separated list of instrumentation names, as OpenTelemetry's Node.js auto-instrumentation reads it. */
const instrumentationList = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.enum(INSTRUMENTATIONS, { message: `may list ${INSTRUMENTATIONS.join(', ')}` })))
  .describe(`${INSTRUMENTATIONS.map((name) => `\`${name}\``).join(', ')}, comma-separated`);

export const TRACES_SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;
export type TracesSampler = (typeof TRACES_SAMPLERS)[number];

/**
 * The standard OpenTelemetry variables this project honours. Only OTLP over HTTP with JSON bodies
 * is shipped (the exporter-trace-otlp-http package); asking for another protocol is a start-up
 * error rather than traces silently going nowhere.
 */
export const observabilityShape = {
  LOG_FORMAT: z.enum(['json', 'pretty'], { message: 'must be json or pretty' }).default('pretty'),
  METRICS_ENABLED: bool(true),
  OTEL_SDK_DISABLED: bool(false),
  OTEL_SERVICE_NAME: z.string().min(1).max(128).optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional(),
  OTEL_EXPORTER_OTLP_PROTOCOL: z.enum(['http/json'], { message: 'only http/json is supported (OTLP over HTTP with JSON bodies)' }).default('http/json'),
  OTEL_EXPORTER_OTLP_HEADERS: z.string().max(4096).optional(),
  OTEL_TRACES_SAMPLER: z.enum(TRACES_SAMPLERS, { message: `must be one of ${TRACES_SAMPLERS.join(', ')}` }).default('parentbased_always_on'),
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number({ message: 'must be a number between 0 and 1' }).min(0).max(1).default(1),
  OTEL_NODE_ENABLED_INSTRUMENTATIONS: instrumentationList,
  OTEL_NODE_DISABLED_INSTRUMENTATIONS: instrumentationList,
};

type ObservabilityEnv = z.infer<z.ZodObject<typeof observabilityShape>>;

/** "k1=v1,k2=v2" (the OTLP headers format; values URL-encoded). */
function parseHeaders(text: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of (text ?? '').split(',')) {
    const at = pair.indexOf('=');
    if (at > 0) headers[decodeURIComponent(pair.slice(0, at).trim())] = decodeURIComponent(pair.slice(at + 1).trim());
  }
  return headers;
}

export function observabilityConfig(e: ObservabilityEnv, defaultServiceName: string): ObservabilityConfig {
  // The signal-specific endpoint is used as given; the base one gets /v1/traces (OTLP/HTTP spec).
  const tracesUrl =
    e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (e.OTEL_EXPORTER_OTLP_ENDPOINT ? `${e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces` : undefined);
  return {
    serviceName: e.OTEL_SERVICE_NAME ?? defaultServiceName,
    logFormat: e.LOG_FORMAT,
    metricsEnabled: e.METRICS_ENABLED,
    sampler: { name: e.OTEL_TRACES_SAMPLER, ratio: e.OTEL_TRACES_SAMPLER_ARG },
    instrumentations: e.OTEL_NODE_ENABLED_INSTRUMENTATIONS.filter((name) => !e.OTEL_NODE_DISABLED_INSTRUMENTATIONS.includes(name)),
    tracing: tracesUrl && !e.OTEL_SDK_DISABLED ? { enabled: true, tracesUrl, headers: parseHeaders(e.OTEL_EXPORTER_OTLP_HEADERS) } : { enabled: false },
  };
}
