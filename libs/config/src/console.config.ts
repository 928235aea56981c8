import { z } from 'zod';
import { formatDuration, parseDuration } from './duration';
import { amqpUrl, checked, Env, namePrefix, parseEnv, port } from './env';
import { HttpServerConfig, httpServerConfig, httpServerShape } from './http-server.config';
import { OperatorCredential, operatorCredentials, operatorToken, operatorTokens } from './schema-parts';
import { logLevelsFrom, LogLevelName } from './service.config';

const duration = (fallback: string, min: number) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      try {
        const ms = parseDuration(value);
        if (ms >= min) return ms;
      } catch {
        // reported below
      }
      ctx.addIssue({ code: 'custom', message: `must be a duration of at least ${min}ms, e.g. "1s"` });
      return z.NEVER;
    })
    .describe(`a duration ≥ ${formatDuration(min)}`);

const httpUrl = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine((v) => /^https?:\/\/[^\s]+$/.test(v) && URL.canParse(v), { message: 'must be an http:// or https:// URL' })
    .describe('an http(s) URL')
    .transform((v) => v.replace(/\/+$/, ''));

const consoleSchema = z.object({
  ...httpServerShape,
  CONSOLE_PORT: port(3003),
  ORDER_URL: httpUrl('http://127.0.0.1:3000'),
  COUPON_URL: httpUrl('http://127.0.0.1:3001'),
  RED_PACKET_URL: httpUrl('http://127.0.0.1:3002'),
  RABBITMQ_URL: amqpUrl('amqp://guest:guest@127.0.0.1:5672'),
  AMQP_NAME_PREFIX: namePrefix,
  // The services' rule (16–256 printable characters, no spaces): one rule for every operator token.
  OPERATOR_TOKEN: operatorToken,
  OPERATOR_TOKENS: operatorTokens,
  // Behind a TLS-terminating proxy: trust its X-Forwarded-Proto, so the session cookie gets `Secure`.
  CONSOLE_TRUST_PROXY: z.enum(['true', 'false'], { message: 'must be true or false' }).default('false'),
  LOG_FORMAT: z.enum(['json', 'pretty'], { message: 'must be json or pretty' }).default('pretty'),
  CONSOLE_POLL_INTERVAL: duration('1s', 100),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'log', 'debug', 'verbose']).default('log'),
});

export interface ConsoleConfig {
  port: number;
  http: HttpServerConfig;
  services: { order: string; coupon: string; redPacket: string };
  broker: { url: string; namePrefix: string };
  /**
   * Who may sign in: OPERATOR_TOKEN (named `operator`) and OPERATOR_TOKENS (`alice:<token>,...`),
   * the services' variables and rules. Empty: the console is read-only (every action answers 403).
   * Never sent to the browser.
   */
  operators: OperatorCredential[];
  /** The console's own reads of operator routes (dead letters, chaos state): OPERATOR_TOKEN, else the first named token. */
  readToken?: string;
  /** CONSOLE_TRUST_PROXY: X-Forwarded-Proto from the proxy decides whether the page is served over HTTPS. */
  trustProxy: boolean;
  logFormat: 'json' | 'pretty';
  pollIntervalMs: number;
  logLevels: LogLevelName[];
}

/** Every variable the console reads: lets deployment files be checked for typos. */
export function consoleConfigVariables(): string[] {
  return Object.keys(consoleSchema.shape);
}

/** The console's settings, validated at start; a bad value stops it naming the variable. */
export function loadConsoleConfig(env: Env = process.env): ConsoleConfig {
  const e = parseEnv(consoleSchema, env);
  const operators = operatorCredentials(e.OPERATOR_TOKEN, e.OPERATOR_TOKENS);
  return {
    port: e.CONSOLE_PORT,
    http: checked(() => httpServerConfig(e)),
    services: { order: e.ORDER_URL, coupon: e.COUPON_URL, redPacket: e.RED_PACKET_URL },
    broker: { url: e.RABBITMQ_URL, namePrefix: e.AMQP_NAME_PREFIX },
    operators,
    readToken: operators[0]?.token,
    trustProxy: e.CONSOLE_TRUST_PROXY === 'true',
    logFormat: e.LOG_FORMAT,
    pollIntervalMs: e.CONSOLE_POLL_INTERVAL,
    logLevels: logLevelsFrom(e.LOG_LEVEL),
  };
}

/** The schema the console is read with: the generated configuration reference reads it. */
export const consoleEnvSchema = consoleSchema;
