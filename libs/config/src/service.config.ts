import { z } from 'zod';
import { DatabaseSettings, databaseUrl, migrationSettings, optionalDatabaseUrl } from './database-url';
import { formatDuration, parseDuration } from './duration';
import { FaultSpec, parseFaultSpec } from '@app/faults';
import { amqpUrl, bool, ConfigError, Env, namePrefix, parseEnv, port, positiveInt, queueType } from './env';
import { ObservabilityConfig, observabilityConfig, observabilityShape } from './observability.config';

const DEFAULT_AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';
const localDb = (name: string) => `mysql://root:@127.0.0.1:3306/${name}`;

/** The seeds' 16 delay levels (RocketMQ's schedule up to 30 minutes). */
export const DEFAULT_RETRY_LADDER = '1s,5s,10s,30s,1m,2m,3m,4m,5m,6m,7m,8m,9m,10m,20m,30m';

const duration = (fallback: string, min = 0) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      try {
        const ms = parseDuration(value);
        if (ms < min) throw new Error(`must be at least ${min}ms`);
        return ms;
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    });

const ladder = (fallback?: string) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return fallback === undefined ? undefined : parseLadder(fallback);
      try {
        return parseLadder(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    });

/** "1s,5s,10s" → [1000, 5000, 10000]; levels must be at least 100 ms and at most 24 h, at most 32 of them. */
export function parseLadder(text: string): number[] {
  const levels = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part) => parseDuration(part));
  if (levels.length === 0) throw new Error('must list at least one delay, e.g. 1s,5s,30s');
  if (levels.length > 32) throw new Error('may list at most 32 delays');
  for (const ms of levels) {
    if (ms < 100 || ms > 86_400_000) throw new Error('each delay must be between 100ms and 24h');
  }
  return levels;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/** The named level and every more severe one: "log" → fatal, error, warn, log. */
export function logLevelsFrom(level: LogLevelName): LogLevelName[] {
  return LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(level) + 1);
}

/** OPERATOR_TOKEN: guards every operator route; unset disables them (403). Sent as `Authorization: Bearer`. */
const operatorToken = z
  .string()
  .min(16, 'must be at least 16 characters')
  .max(256, 'must be at most 256 characters')
  .regex(/^[\x21-\x7e]+$/, { message: 'must be printable ASCII without spaces' })
  .optional();

const logLevel = z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).default('log');

const brokerShape = {
  RABBITMQ_URL: amqpUrl(DEFAULT_AMQP_URL),
  AMQP_NAME_PREFIX: namePrefix,
  AMQP_QUEUE_TYPE: queueType,
  AMQP_CONFIRM_TIMEOUT: duration('10s', 100),
};

export interface BrokerConfig {
  url: string;
  namePrefix: string;
  queueType: 'classic' | 'quorum';
  confirmTimeoutMs: number;
}

function brokerConfig(env: z.infer<z.ZodObject<typeof brokerShape>>): BrokerConfig {
  return {
    url: env.RABBITMQ_URL,
    namePrefix: env.AMQP_NAME_PREFIX,
    queueType: env.AMQP_QUEUE_TYPE,
    confirmTimeoutMs: env.AMQP_CONFIRM_TIMEOUT,
  };
}

export interface OutboxRelayConfig {
  pollIntervalMs: number;
  batchSize: number;
  /** Claim-publish-mark loops running side by side. */
  concurrency: number;
  backoffInitialMs: number;
  backoffMaxMs: number;
  stuckAfterMs: number;
  retentionMs: number;
  cleanupIntervalMs: number;
}

/** What bounds a caller's wait on a hung or overloaded database. */
export interface DatabaseLimits {
  /** Every statement fails after this; 0 = no time-out. */
  queryTimeoutMs: number;
  /** Most callers waiting for a free pool connection; past it the pool refuses at once. */
  poolQueueLimit: number;
}

export interface OrderServiceConfig {
  port: number;
  /** Guards operator routes; undefined = operator API disabled (fail closed). */
  operatorToken?: string;
  logLevel: LogLevelName;
  /** Test-only (TEST_CRASH_AT): a fault point armed to kill or throw (see @app/faults). */
  faults?: FaultSpec;
  database: DatabaseSettings;
  /** ORDER_DB_MIGRATION_URL: the DDL account, used only at start to create the database and migrate. */
  migrationDatabase?: DatabaseSettings;
  databasePoolSize: number;
  databaseLimits: DatabaseLimits;
  /** Concurrent create / pay requests committed together (group commit); 1 = a transaction each. */
  orderBatchSize: number;
  /** Most create (and, apart, pay) requests waiting for a group commit; past it 503 at once. */
  orderQueueLimit: number;
  broker: BrokerConfig;
  outbox: OutboxRelayConfig;
  observability: ObservabilityConfig;
}

const crashAt = z
  .string()
  .optional()
  .transform((value, ctx) => {
    if (value === undefined) return undefined;
    try {
      return parseFaultSpec(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  });

const orderEnvSchema = () =>
  z.object({
    ...brokerShape,
    TEST_CRASH_AT: crashAt,
    LOG_LEVEL: logLevel,
    OPERATOR_TOKEN: operatorToken,
    ...observabilityShape,
    ORDER_PORT: port(3000),
    ORDER_DB_URL: databaseUrl(localDb('order_service')),
    ORDER_DB_MIGRATION_URL: optionalDatabaseUrl,
    ORDER_DB_POOL_SIZE: positiveInt(16, 512),
    ORDER_DB_QUERY_TIMEOUT: duration('10s', 0),
    ORDER_DB_POOL_QUEUE_LIMIT: positiveInt(256, 100_000),
    ORDER_BATCH_SIZE: positiveInt(64, 1_000),
    ORDER_QUEUE_LIMIT: positiveInt(256, 100_000),
    OUTBOX_POLL_INTERVAL: duration('1s', 10),
    OUTBOX_BATCH_SIZE: positiveInt(500, 5000),
    OUTBOX_RELAY_CONCURRENCY: positiveInt(3, 16),
    OUTBOX_BACKOFF_MAX: duration('5m', 1000),
    OUTBOX_STUCK_AFTER: duration('5m', 1000),
    OUTBOX_RETENTION: duration('24h', 0),
    OUTBOX_CLEANUP_INTERVAL: duration('1m', 100),
  });

export function loadOrderServiceConfig(env: Env = process.env): OrderServiceConfig {
  const e = parseEnv(orderEnvSchema(), env);
  return {
    port: e.ORDER_PORT,
    operatorToken: e.OPERATOR_TOKEN,
    logLevel: e.LOG_LEVEL,
    faults: e.TEST_CRASH_AT,
    database: e.ORDER_DB_URL,
    migrationDatabase: checked(() => migrationSettings(e.ORDER_DB_URL, e.ORDER_DB_MIGRATION_URL, 'ORDER_DB_MIGRATION_URL')),
    databasePoolSize: e.ORDER_DB_POOL_SIZE,
    databaseLimits: { queryTimeoutMs: e.ORDER_DB_QUERY_TIMEOUT, poolQueueLimit: e.ORDER_DB_POOL_QUEUE_LIMIT },
    orderBatchSize: e.ORDER_BATCH_SIZE,
    orderQueueLimit: e.ORDER_QUEUE_LIMIT,
    broker: brokerConfig(e),
    outbox: {
      pollIntervalMs: e.OUTBOX_POLL_INTERVAL,
      batchSize: e.OUTBOX_BATCH_SIZE,
      concurrency: e.OUTBOX_RELAY_CONCURRENCY,
      backoffInitialMs: 1000,
      backoffMaxMs: e.OUTBOX_BACKOFF_MAX,
      stuckAfterMs: e.OUTBOX_STUCK_AFTER,
      retentionMs: e.OUTBOX_RETENTION,
      cleanupIntervalMs: e.OUTBOX_CLEANUP_INTERVAL,
    },
    observability: observabilityConfig(e, 'order-service'),
  };
}

export interface ConsumerConfig {
  prefetch: number;
  /** A handler still running after this counts as a transient failure (e.g. a hung database). */
  handlerTimeoutMs: number;
  retryLadderMs: number[];
  /** Pause consuming while failures say the dependency itself is down, instead of burning the ladder. */
  pauseOnDependencyDown: boolean;
  maxMessageBytes: number;
  /** Messages committed together in one transaction (group commit); 1 = a transaction each. */
  batchSize: number;
  /** INBOX_RETENTION: how long a processed message id is remembered (dedupe window). */
  inboxRetentionMs: number;
  /** RETENTION_CLEANUP_INTERVAL: how often inbox and re-driven dead-letter rows past retention are deleted. */
  retentionCleanupIntervalMs: number;
}

export interface DeadLetterConfig {
  alertWebhookUrl?: string;
  /** When set, each webhook alert carries an HMAC-SHA256 signature made with it. */
  alertWebhookSecret?: string;
  /** Alerts let out per window; past it, one summary alert when the window ends. */
  alertBurst: number;
  alertWindowMs: number;
  /** 0 = no automatic re-drive. */
  redriveIntervalMs: number;
  /** DEAD_LETTER_RETENTION: re-driven letters older than this are deleted; pending ones never are. */
  retentionMs: number;
  cleanupIntervalMs: number;
}

export interface ChaosConfig {
  enabled: boolean;
}

export interface ConsumerServiceConfig {
  port: number;
  /** Guards operator routes (dead letters, chaos); undefined = operator API disabled (fail closed). */
  operatorToken?: string;
  logLevel: LogLevelName;
  /** Test-only (TEST_CRASH_AT): a fault point armed to kill or throw (see @app/faults). */
  faults?: FaultSpec;
  chaos: ChaosConfig;
  database: DatabaseSettings;
  /** `<PREFIX>_DB_MIGRATION_URL`: the DDL account, used only at start to create the database and migrate. */
  migrationDatabase?: DatabaseSettings;
  databasePoolSize: number;
  databaseLimits: DatabaseLimits;
  broker: BrokerConfig;
  consumer: ConsumerConfig;
  deadLetters: DeadLetterConfig;
  observability: ObservabilityConfig;
}

const consumerEnvSchema = (prefix: 'COUPON' | 'RED_PACKET', defaults: { port: number; database: string }) =>
  z.object({
    ...brokerShape,
    TEST_CRASH_AT: crashAt,
    LOG_LEVEL: logLevel,
    ...observabilityShape,
    [`${prefix}_PORT`]: port(defaults.port),
    [`${prefix}_DB_URL`]: databaseUrl(localDb(defaults.database)),
    [`${prefix}_DB_MIGRATION_URL`]: optionalDatabaseUrl,
    [`${prefix}_DB_POOL_SIZE`]: positiveInt(16, 512),
    [`${prefix}_DB_QUERY_TIMEOUT`]: duration('10s', 0),
    [`${prefix}_DB_POOL_QUEUE_LIMIT`]: positiveInt(256, 100_000),
    [`${prefix}_PREFETCH`]: positiveInt(64, 10_000),
    [`${prefix}_BATCH_SIZE`]: positiveInt(16, 1_000),
    RETRY_LADDER: ladder(DEFAULT_RETRY_LADDER),
    [`${prefix}_RETRY_LADDER`]: ladder(),
    PAUSE_ON_DEPENDENCY_DOWN: bool(true),
    INBOX_RETENTION: duration('30d', 1),
    DEAD_LETTER_RETENTION: duration('30d', 1),
    RETENTION_CLEANUP_INTERVAL: duration('1m', 100),
    MAX_MESSAGE_BYTES: positiveInt(256 * 1024, 64 * 1024 * 1024),
    ALERT_WEBHOOK_URL: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional(),
    ALERT_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').max(256).optional(),
    ALERT_BURST: positiveInt(10, 10_000),
    ALERT_WINDOW: duration('1m', 1000),
    OPERATOR_TOKEN: operatorToken,
    DEAD_LETTER_REDRIVE_INTERVAL: duration('0', 0),
    HANDLER_TIMEOUT: duration('15s', 100),
    CHAOS_ENABLED: bool(false),
  });

/** Every variable a service reads: lets deployment files be checked for typos. */
export function configVariables(service: 'order' | 'coupon' | 'red-packet'): string[] {
  const schema =
    service === 'order'
      ? orderEnvSchema()
      : consumerEnvSchema(service === 'coupon' ? 'COUPON' : 'RED_PACKET', { port: 0, database: 'x' });
  return Object.keys(schema.shape);
}

/**
 * Coupon and red-packet services share one shape; `prefix` picks their variables
 * (`COUPON_PORT`, `RED_PACKET_RETRY_LADDER`, ...). A service-specific ladder overrides `RETRY_LADDER`.
 */
export function loadConsumerServiceConfig(
  prefix: 'COUPON' | 'RED_PACKET',
  defaults: { port: number; database: string },
  env: Env = process.env,
): ConsumerServiceConfig {
  const e = parseEnv(consumerEnvSchema(prefix, defaults), env) as Record<string, unknown>;
  // Chaos breaks the database on request: never without the operator token guarding it.
  if (e.CHAOS_ENABLED && !e.OPERATOR_TOKEN) {
    throw new ConfigError(['OPERATOR_TOKEN: required when CHAOS_ENABLED=true (the chaos endpoints are operator routes)']);
  }
  return {
    port: e[`${prefix}_PORT`] as number,
    operatorToken: e.OPERATOR_TOKEN as string | undefined,
    logLevel: e.LOG_LEVEL as LogLevelName,
    faults: e.TEST_CRASH_AT as FaultSpec | undefined,
    chaos: { enabled: e.CHAOS_ENABLED as boolean },
    database: e[`${prefix}_DB_URL`] as DatabaseSettings,
    migrationDatabase: checked(() =>
      migrationSettings(e[`${prefix}_DB_URL`] as DatabaseSettings, e[`${prefix}_DB_MIGRATION_URL`] as DatabaseSettings | undefined, `${prefix}_DB_MIGRATION_URL`),
    ),
    databasePoolSize: e[`${prefix}_DB_POOL_SIZE`] as number,
    databaseLimits: { queryTimeoutMs: e[`${prefix}_DB_QUERY_TIMEOUT`] as number, poolQueueLimit: e[`${prefix}_DB_POOL_QUEUE_LIMIT`] as number },
    broker: brokerConfig(e as z.infer<z.ZodObject<typeof brokerShape>>),
    consumer: {
      prefetch: e[`${prefix}_PREFETCH`] as number,
      handlerTimeoutMs: e.HANDLER_TIMEOUT as number,
      retryLadderMs: (e[`${prefix}_RETRY_LADDER`] ?? e.RETRY_LADDER) as number[],
      pauseOnDependencyDown: e.PAUSE_ON_DEPENDENCY_DOWN as boolean,
      maxMessageBytes: e.MAX_MESSAGE_BYTES as number,
      batchSize: e[`${prefix}_BATCH_SIZE`] as number,
      inboxRetentionMs: checked(() => inboxRetention(e, prefix)),
      retentionCleanupIntervalMs: e.RETENTION_CLEANUP_INTERVAL as number,
    },
    deadLetters: {
      alertWebhookUrl: e.ALERT_WEBHOOK_URL as string | undefined,
      alertWebhookSecret: e.ALERT_WEBHOOK_SECRET as string | undefined,
      alertBurst: e.ALERT_BURST as number,
      alertWindowMs: e.ALERT_WINDOW as number,
      redriveIntervalMs: e.DEAD_LETTER_REDRIVE_INTERVAL as number,
      retentionMs: e.DEAD_LETTER_RETENTION as number,
      cleanupIntervalMs: e.RETENTION_CLEANUP_INTERVAL as number,
    },
    observability: observabilityConfig(e as z.infer<z.ZodObject<typeof observabilityShape>>, prefix === 'COUPON' ? 'coupon-service' : 'red-packet-service'),
  };
}

/** Runs a cross-variable check; its message already names the variable. */
function checked<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    throw new ConfigError([(error as Error).message]);
  }
}

/**
 * The inbox remembers a message id for INBOX_RETENTION. A copy of a message can still arrive while
 * it climbs the ladder and, with automatic re-drive on, one re-drive interval after it ran out:
 * forgetting the id sooner would let that copy be granted a second time.
 */
function inboxRetention(e: Record<string, unknown>, prefix: string): number {
  const ladder = (e[`${prefix}_RETRY_LADDER`] ?? e.RETRY_LADDER) as number[];
  const window = ladder.reduce((sum, ms) => sum + ms, 0) + (e.DEAD_LETTER_REDRIVE_INTERVAL as number);
  const retention = e.INBOX_RETENTION as number;
  if (retention <= window) {
    throw new Error(`INBOX_RETENTION: must be longer than the whole retry ladder plus DEAD_LETTER_REDRIVE_INTERVAL (${formatDuration(window)})`);
  }
  return retention;
}
