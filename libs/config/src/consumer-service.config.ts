import { z } from 'zod';
import { FaultSpec } from '@reliable-payments/faults';
import { BrokerConfig, brokerConfig, brokerShape, DatabaseLimits } from './broker.config';
import { DatabaseSettings, databaseUrl, migrationSettings, optionalDatabaseUrl } from './database-url';
import { formatDuration } from './duration';
import { bool, checked, ConfigError, Env, parseAll, parsedWith, parseEnv, port, positiveInt } from './env';
import { EventSigningConfig, eventSigningConfig, eventSigningShape } from './event-signing.config';
import { HttpServerConfig, httpServerConfig, httpServerShape } from './http-server.config';
import { ObservabilityConfig, observabilityConfig, observabilityShape } from './observability.config';
import {
  DEFAULT_RETRY_LADDER,
  LADDER_FORMAT,
  duration,
  faultSpec,
  ladder,
  localDb,
  logLevel,
  LogLevelName,
  OperatorCredential,
  operatorCredentials,
  operatorToken,
  operatorTokens,
  parseLadder,
} from './schema-parts';

export type ConsumerServicePrefix = 'COUPON' | 'RED_PACKET';

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
  /** EVENT_SIGNING_KEYS: when set, every event must carry a valid signature by one of these keys. */
  signatureKeys?: ReadonlyMap<string, string>;
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
  /** Signing as configured: an edited letter is re-signed with `signWith`, or refused when keys are required and it is absent. */
  signing?: EventSigningConfig;
}

export interface ChaosConfig {
  enabled: boolean;
}

export interface ConsumerServiceConfig {
  port: number;
  http: HttpServerConfig;
  /** Guards operator routes (dead letters, chaos); undefined = operator API disabled (fail closed). */
  operatorToken?: string;
  /** Every operator who may sign operator routes: OPERATOR_TOKEN as `operator`, then OPERATOR_TOKENS. Empty = closed. */
  operators: OperatorCredential[];
  logLevel: LogLevelName;
  /** Test-only (TEST_CRASH_AT): a fault point armed to kill or throw (see @reliable-payments/faults). */
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

/** The variables each consumer service reads under its own prefix (`COUPON_PORT`, `RED_PACKET_RETRY_LADDER`, ...). */
const ownSchema = (defaults: { port: number; database: string }) =>
  z.object({
    PORT: port(defaults.port),
    DB_URL: databaseUrl(localDb(defaults.database)),
    DB_MIGRATION_URL: optionalDatabaseUrl,
    DB_POOL_SIZE: positiveInt(16, 512),
    DB_QUERY_TIMEOUT: duration('10s', 0),
    DB_POOL_QUEUE_LIMIT: positiveInt(256, 100_000),
    PREFETCH: positiveInt(64, 10_000),
    BATCH_SIZE: positiveInt(16, 1_000),
    // Overrides RETRY_LADDER for this service.
    RETRY_LADDER: ladder.optional(),
  });

/** The variables both consumer services read under the same name. */
const sharedSchema = z.object({
  ...brokerShape,
  TEST_CRASH_AT: faultSpec,
  LOG_LEVEL: logLevel,
  ...observabilityShape,
  ...httpServerShape,
  RETRY_LADDER: parsedWith(parseLadder, DEFAULT_RETRY_LADDER).describe(LADDER_FORMAT),
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
  OPERATOR_TOKENS: operatorTokens,
  DEAD_LETTER_REDRIVE_INTERVAL: duration('0', 0),
  HANDLER_TIMEOUT: duration('15s', 100),
  CHAOS_ENABLED: bool(false),
  ...eventSigningShape,
});

type Own = z.infer<ReturnType<typeof ownSchema>>;
type Shared = z.infer<typeof sharedSchema>;

/** Every variable a consumer service reads (deployment files are checked against it). */
export function consumerConfigVariables(prefix: ConsumerServicePrefix): string[] {
  return [...Object.keys(ownSchema({ port: 0, database: 'x' }).shape).map((key) => `${prefix}_${key}`), ...Object.keys(sharedSchema.shape)];
}

/**
 * Coupon and red-packet services share one shape; `prefix` picks their own variables. A
 * service-specific ladder overrides `RETRY_LADDER`. Every problem in either part is reported.
 * `defaults.serviceName` (the service's consumer name) is what OTEL_SERVICE_NAME defaults to.
 */
export function loadConsumerServiceConfig(
  prefix: ConsumerServicePrefix,
  defaults: { port: number; database: string; serviceName: string },
  env: Env = process.env,
): ConsumerServiceConfig {
  const [own, shared] = parseAll<[Own, Shared]>(
    () => parseEnv(ownSchema(defaults), env, `${prefix}_`),
    () => parseEnv(sharedSchema, env),
  );
  // Chaos breaks the database on request: never without the operator token guarding it.
  const operators = operatorCredentials(shared.OPERATOR_TOKEN, shared.OPERATOR_TOKENS);
  if (shared.CHAOS_ENABLED && operators.length === 0) {
    throw new ConfigError(['OPERATOR_TOKEN: required when CHAOS_ENABLED=true, or OPERATOR_TOKENS (the chaos endpoints are operator routes)']);
  }
  const retryLadderMs = own.RETRY_LADDER ?? shared.RETRY_LADDER;
  const signing = checked(() => eventSigningConfig(shared));
  return {
    port: own.PORT,
    http: checked(() => httpServerConfig(shared)),
    operatorToken: shared.OPERATOR_TOKEN,
    operators,
    logLevel: shared.LOG_LEVEL,
    faults: shared.TEST_CRASH_AT,
    chaos: { enabled: shared.CHAOS_ENABLED },
    database: own.DB_URL,
    migrationDatabase: checked(() => migrationSettings(own.DB_URL, own.DB_MIGRATION_URL, `${prefix}_DB_MIGRATION_URL`)),
    databasePoolSize: own.DB_POOL_SIZE,
    databaseLimits: { queryTimeoutMs: own.DB_QUERY_TIMEOUT, poolQueueLimit: own.DB_POOL_QUEUE_LIMIT },
    broker: brokerConfig(shared),
    consumer: {
      prefetch: own.PREFETCH,
      handlerTimeoutMs: shared.HANDLER_TIMEOUT,
      retryLadderMs,
      pauseOnDependencyDown: shared.PAUSE_ON_DEPENDENCY_DOWN,
      maxMessageBytes: shared.MAX_MESSAGE_BYTES,
      batchSize: own.BATCH_SIZE,
      inboxRetentionMs: checked(() => inboxRetention(shared, retryLadderMs)),
      retentionCleanupIntervalMs: shared.RETENTION_CLEANUP_INTERVAL,
      signatureKeys: signing?.keys,
    },
    deadLetters: { ...deadLetterConfig(shared), signing },
    observability: observabilityConfig(shared, defaults.serviceName),
  };
}

function deadLetterConfig(shared: Shared): DeadLetterConfig {
  return {
    alertWebhookUrl: shared.ALERT_WEBHOOK_URL,
    alertWebhookSecret: shared.ALERT_WEBHOOK_SECRET,
    alertBurst: shared.ALERT_BURST,
    alertWindowMs: shared.ALERT_WINDOW,
    redriveIntervalMs: shared.DEAD_LETTER_REDRIVE_INTERVAL,
    retentionMs: shared.DEAD_LETTER_RETENTION,
    cleanupIntervalMs: shared.RETENTION_CLEANUP_INTERVAL,
  };
}

/**
 * The inbox remembers a message id for INBOX_RETENTION. A copy of a message can still arrive while
 * it climbs the ladder and, with automatic re-drive on, one re-drive interval after it ran out:
 * forgetting the id sooner would let that copy be granted a second time.
 */
function inboxRetention(shared: Shared, retryLadderMs: number[]): number {
  const window = retryLadderMs.reduce((sum, ms) => sum + ms, 0) + shared.DEAD_LETTER_REDRIVE_INTERVAL;
  if (shared.INBOX_RETENTION <= window) {
    throw new Error(`INBOX_RETENTION: must be longer than the whole retry ladder plus DEAD_LETTER_REDRIVE_INTERVAL (${formatDuration(window)})`);
  }
  return shared.INBOX_RETENTION;
}

/** The schemas a consumer service is read with (own variables under its prefix, shared ones): the generated configuration reference reads them. */
export const consumerEnvSchemas = { own: ownSchema, shared: sharedSchema };
