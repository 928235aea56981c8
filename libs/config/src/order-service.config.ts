import { z } from 'zod';
import { FaultSpec } from '@reliable-payments/faults';
import { BrokerConfig, brokerConfig, brokerShape, DatabaseLimits } from './broker.config';
import { DatabaseSettings, databaseUrl, migrationSettings, optionalDatabaseUrl } from './database-url';
import { checked, Env, parseEnv, port, positiveInt } from './env';
import { HttpServerConfig, httpServerConfig, httpServerShape } from './http-server.config';
import { ObservabilityConfig, observabilityConfig, observabilityShape } from './observability.config';
import { EventSigningKey, eventSigningConfig, eventSigningShape } from './event-signing.config';
import { duration, faultSpec, localDb, logLevel, LogLevelName, OperatorCredential, operatorCredentials, operatorToken, operatorTokens } from './schema-parts';

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
  /** EVENT_SIGNING_KEY_ID's key: every published event carries `signature-key-id` and `signature`. Undefined = unsigned. */
  signWith?: EventSigningKey;
}

export interface OrderServiceConfig {
  port: number;
  http: HttpServerConfig;
  /** Guards operator routes; undefined = operator API disabled (fail closed). */
  operatorToken?: string;
  /** Every operator who may call operator routes: OPERATOR_TOKEN as `operator`, then OPERATOR_TOKENS. Empty = closed. */
  operators: OperatorCredential[];
  logLevel: LogLevelName;
  /** Test-only (TEST_CRASH_AT): a fault point armed to kill or throw (see @reliable-payments/faults). */
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
  /** ORDER_IDEMPOTENCY_KEY_RETENTION: how long an Idempotency-Key of POST /orders is remembered. */
  idempotencyKeyRetentionMs: number;
  broker: BrokerConfig;
  outbox: OutboxRelayConfig;
  observability: ObservabilityConfig;
}

const outboxShape = {
  OUTBOX_POLL_INTERVAL: duration('1s', 10),
  OUTBOX_BATCH_SIZE: positiveInt(500, 5000),
  OUTBOX_RELAY_CONCURRENCY: positiveInt(3, 16),
  OUTBOX_BACKOFF_MAX: duration('5m', 1000),
  OUTBOX_STUCK_AFTER: duration('5m', 1000),
  OUTBOX_RETENTION: duration('24h', 0),
  OUTBOX_CLEANUP_INTERVAL: duration('1m', 100),
};

function outboxConfig(env: z.infer<z.ZodObject<typeof outboxShape>>): OutboxRelayConfig {
  return {
    pollIntervalMs: env.OUTBOX_POLL_INTERVAL,
    batchSize: env.OUTBOX_BATCH_SIZE,
    concurrency: env.OUTBOX_RELAY_CONCURRENCY,
    backoffInitialMs: 1000,
    backoffMaxMs: env.OUTBOX_BACKOFF_MAX,
    stuckAfterMs: env.OUTBOX_STUCK_AFTER,
    retentionMs: env.OUTBOX_RETENTION,
    cleanupIntervalMs: env.OUTBOX_CLEANUP_INTERVAL,
  };
}

export const orderEnvSchema = z.object({
  ...brokerShape,
  TEST_CRASH_AT: faultSpec,
  LOG_LEVEL: logLevel,
  OPERATOR_TOKEN: operatorToken,
  OPERATOR_TOKENS: operatorTokens,
  ...observabilityShape,
  ...httpServerShape,
  ORDER_PORT: port(3000),
  ORDER_DB_URL: databaseUrl(localDb('order_service')),
  ORDER_DB_MIGRATION_URL: optionalDatabaseUrl,
  ORDER_DB_POOL_SIZE: positiveInt(16, 512),
  ORDER_DB_QUERY_TIMEOUT: duration('10s', 0),
  ORDER_DB_POOL_QUEUE_LIMIT: positiveInt(256, 100_000),
  ORDER_BATCH_SIZE: positiveInt(64, 1_000),
  ORDER_QUEUE_LIMIT: positiveInt(256, 100_000),
  ORDER_IDEMPOTENCY_KEY_RETENTION: duration('24h', 1000),
  ...outboxShape,
  ...eventSigningShape,
});

export function loadOrderServiceConfig(env: Env = process.env): OrderServiceConfig {
  const e = parseEnv(orderEnvSchema, env);
  return {
    port: e.ORDER_PORT,
    http: checked(() => httpServerConfig(e)),
    operatorToken: e.OPERATOR_TOKEN,
    operators: checked(() => operatorCredentials(e.OPERATOR_TOKEN, e.OPERATOR_TOKENS)),
    logLevel: e.LOG_LEVEL,
    faults: e.TEST_CRASH_AT,
    database: e.ORDER_DB_URL,
    migrationDatabase: checked(() => migrationSettings(e.ORDER_DB_URL, e.ORDER_DB_MIGRATION_URL, 'ORDER_DB_MIGRATION_URL')),
    databasePoolSize: e.ORDER_DB_POOL_SIZE,
    databaseLimits: { queryTimeoutMs: e.ORDER_DB_QUERY_TIMEOUT, poolQueueLimit: e.ORDER_DB_POOL_QUEUE_LIMIT },
    orderBatchSize: e.ORDER_BATCH_SIZE,
    orderQueueLimit: e.ORDER_QUEUE_LIMIT,
    idempotencyKeyRetentionMs: e.ORDER_IDEMPOTENCY_KEY_RETENTION,
    broker: brokerConfig(e),
    outbox: { ...outboxConfig(e), signWith: checked(() => orderSigningKey(e)) },
    observability: observabilityConfig(e, 'order-service'),
  };
}

/** The order service signs or it does not: keys without EVENT_SIGNING_KEY_ID would publish unsigned events that every verifying consumer dead-letters. */
function orderSigningKey(e: { EVENT_SIGNING_KEYS?: string; EVENT_SIGNING_KEY_ID?: string }): EventSigningKey | undefined {
  const signing = eventSigningConfig(e);
  if (signing && !signing.signWith) throw new Error('EVENT_SIGNING_KEY_ID: required on the order service when EVENT_SIGNING_KEYS is set');
  return signing?.signWith;
}
