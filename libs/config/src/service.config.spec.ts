import { COUPON_CONSUMER, RED_PACKET_CONSUMER } from '@reliable-payments/contracts';
import { ConfigError } from './env';
import { DEFAULT_RETRY_LADDER, loadConsumerServiceConfig, loadOrderServiceConfig, parseLadder } from './service.config';

const SECRET = 'Sup3rS3cret';

/** The ConfigError that loading raises; fails the test if loading succeeds or throws anything else. */
const configErrorOf = (load: () => unknown): ConfigError => {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('loaded without error');
};

const loadCoupon = (env: Record<string, string>) =>
  loadConsumerServiceConfig('COUPON', { port: 3001, database: 'coupon_service', serviceName: COUPON_CONSUMER.name }, env);
const loadRedPacket = (env: Record<string, string>) =>
  loadConsumerServiceConfig('RED_PACKET', { port: 3002, database: 'red_packet_service', serviceName: RED_PACKET_CONSUMER.name }, env);

describe('parseLadder', () => {
  it('parses the default ladder into its 16 levels', () => {
    expect(parseLadder(DEFAULT_RETRY_LADDER)).toEqual([
      1000, 5000, 10_000, 30_000, 60_000, 120_000, 180_000, 240_000, 300_000, 360_000, 420_000, 480_000, 540_000, 600_000, 1_200_000, 1_800_000,
    ]);
  });

  it('trims spaces and ignores empty entries', () => {
    expect(parseLadder(' 1s , 500ms,,2m ')).toEqual([1000, 500, 120_000]);
  });

  it('accepts the bounds of 100ms and 24h', () => {
    expect(parseLadder('100ms,24h')).toEqual([100, 86_400_000]);
  });

  it.each([
    ['', 'must list at least one delay, e.g. 1s,5s,30s'],
    [' , ', 'must list at least one delay, e.g. 1s,5s,30s'],
    ['1s,99ms', 'each delay must be between 100ms and 24h'],
    ['0', 'each delay must be between 100ms and 24h'],
    ['25h', 'each delay must be between 100ms and 24h'],
    ['1s,soon', '"soon" is not a duration'],
    ['1s;5s', '"1s;5s" is not a duration'],
    [Array(33).fill('1s').join(','), 'may list at most 32 delays'],
  ])('rejects %p', (text, message) => {
    expect(() => parseLadder(text)).toThrow(message);
  });
});

describe('loadOrderServiceConfig', () => {
  it('uses the local defaults for an empty environment', () => {
    expect(loadOrderServiceConfig({})).toEqual({
      port: 3000,
      idempotencyKeyRetentionMs: 86_400_000,
      operators: [],
      http: { host: '127.0.0.1', requestTimeoutMs: 30_000, headersTimeoutMs: 10_000, keepAliveTimeoutMs: 72_000, connectionTimeoutMs: 30_000 },
      logLevel: 'log',
      database: {
        host: '127.0.0.1',
        port: 3306,
        user: 'root',
        password: '',
        database: 'order_service',
        redacted: 'mysql://root@127.0.0.1:3306/order_service',
      },
      databasePoolSize: 16,
      databaseLimits: { queryTimeoutMs: 10_000, poolQueueLimit: 256 },
      orderBatchSize: 64,
      orderQueueLimit: 256,
      broker: { url: 'amqp://guest:guest@127.0.0.1:5672', namePrefix: '', queueType: 'classic', confirmTimeoutMs: 10_000 },
      outbox: {
        pollIntervalMs: 1000,
        batchSize: 500,
        concurrency: 3,
        backoffInitialMs: 1000,
        backoffMaxMs: 300_000,
        stuckAfterMs: 300_000,
        retentionMs: 86_400_000,
        cleanupIntervalMs: 60_000,
      },
      observability: {
        serviceName: 'order-service',
        logFormat: 'pretty',
        metricsEnabled: true,
        tracing: { enabled: false },
        sampler: { name: 'parentbased_always_on', ratio: 1 },
        instrumentations: [],
      },
    });
  });

  it('treats an empty variable as unset', () => {
    expect(loadOrderServiceConfig({ ORDER_PORT: '', OUTBOX_POLL_INTERVAL: '' })).toMatchObject({ port: 3000, outbox: { pollIntervalMs: 1000 } });
  });

  it('reads the variables it is given', () => {
    const config = loadOrderServiceConfig({
      ORDER_PORT: '8080',
      ORDER_DB_URL: `mysql://app:${SECRET}@db:3307/orders`,
      AMQP_NAME_PREFIX: 'test-42.',
      AMQP_QUEUE_TYPE: 'quorum',
      OUTBOX_POLL_INTERVAL: '250ms',
      TEST_CRASH_AT: 'relay-after-confirm:1:throw',
      ORDER_DB_QUERY_TIMEOUT: '3s',
      ORDER_DB_POOL_QUEUE_LIMIT: '32',
      ORDER_QUEUE_LIMIT: '100',
    });

    expect(config).toMatchObject({
      port: 8080,
      databaseLimits: { queryTimeoutMs: 3000, poolQueueLimit: 32 },
      orderQueueLimit: 100,
      database: { host: 'db', port: 3307, user: 'app', password: SECRET, database: 'orders' },
      broker: { namePrefix: 'test-42.', queueType: 'quorum' },
      outbox: { pollIntervalMs: 250 },
      faults: { point: 'relay-after-confirm', after: 1, mode: 'throw' },
    });
  });

  it('names the variable of a bad value', () => {
    const error = configErrorOf(() => loadOrderServiceConfig({ ORDER_PORT: 'eighty', OUTBOX_POLL_INTERVAL: '5ms' }));

    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.problems).toHaveLength(2);
    expect(error.message).toMatch(/ORDER_PORT: /);
    expect(error.message).toContain('OUTBOX_POLL_INTERVAL: must be at least 10ms');
  });

  it.each([[`postgres://app:${SECRET}@db/orders`], [`mysql://app:${SECRET}@db/order-service`], [`mysql://app:${SECRET}@db:99999/orders`]])(
    'rejects the database URL %s without echoing its password',
    (url) => {
      const error = configErrorOf(() => loadOrderServiceConfig({ ORDER_DB_URL: url }));

      expect(error.message).toContain('ORDER_DB_URL: ');
      expect(error.message).not.toContain(SECRET);
    },
  );

  it('rejects a RabbitMQ URL that is not amqp(s)', () => {
    expect(configErrorOf(() => loadOrderServiceConfig({ RABBITMQ_URL: 'http://rabbit:15672' })).problems).toEqual([
      'RABBITMQ_URL: must be an amqp:// or amqps:// URL, or several separated by commas',
    ]);
  });

  it('accepts a comma-separated list of broker URLs and rejects a list with a bad entry, without echoing it', () => {
    const list = `amqp://app:${SECRET}@rabbit-1:5672, amqp://app:${SECRET}@rabbit-2:5672`;
    expect(loadOrderServiceConfig({ RABBITMQ_URL: list }).broker.url).toBe(list);

    const error = configErrorOf(() => loadOrderServiceConfig({ RABBITMQ_URL: `amqp://app:${SECRET}@rabbit-1:5672,http://x,` }));
    expect(error.problems).toEqual(['RABBITMQ_URL: must be an amqp:// or amqps:// URL, or several separated by commas']);
    expect(error.message).not.toContain(SECRET);
  });
});

describe('loadConsumerServiceConfig', () => {
  it('uses the service defaults and the default ladder for an empty environment', () => {
    const config = loadCoupon({});

    expect(config).toMatchObject({
      port: 3001,
      database: { database: 'coupon_service', user: 'root', port: 3306 },
      databasePoolSize: 16,
      databaseLimits: { queryTimeoutMs: 10_000, poolQueueLimit: 256 },
      consumer: { prefetch: 64, pauseOnDependencyDown: true, maxMessageBytes: 256 * 1024, batchSize: 16 },
      deadLetters: { alertWebhookUrl: undefined, redriveIntervalMs: 0 },
    });
    expect(config.consumer.retryLadderMs).toEqual(parseLadder(DEFAULT_RETRY_LADDER));
  });

  it('reads the variables carrying its own prefix', () => {
    expect(
      loadRedPacket({
        RED_PACKET_PORT: '4002',
        RED_PACKET_PREFETCH: '8',
        COUPON_PORT: '5555',
        RED_PACKET_DB_QUERY_TIMEOUT: '0',
        RED_PACKET_DB_POOL_QUEUE_LIMIT: '64',
      }),
    ).toMatchObject({
      port: 4002,
      databaseLimits: { queryTimeoutMs: 0, poolQueueLimit: 64 },
      consumer: { prefetch: 8 },
    });
  });

  it('takes RETRY_LADDER when the service has no ladder of its own', () => {
    expect(loadRedPacket({ RETRY_LADDER: '1s,2s', COUPON_RETRY_LADDER: '3s' }).consumer.retryLadderMs).toEqual([1000, 2000]);
  });

  it('lets the service ladder override RETRY_LADDER', () => {
    expect(loadCoupon({ RETRY_LADDER: '1s,2s', COUPON_RETRY_LADDER: '3s' }).consumer.retryLadderMs).toEqual([3000]);
  });

  it('names the ladder variable that holds a bad value', () => {
    expect(configErrorOf(() => loadCoupon({ COUPON_RETRY_LADDER: '1s,50ms' })).problems).toEqual([
      'COUPON_RETRY_LADDER: each delay must be between 100ms and 24h',
    ]);
  });

  it('reads the dead-letter settings', () => {
    expect(loadCoupon({ ALERT_WEBHOOK_URL: 'https://hooks.example/dlq', DEAD_LETTER_REDRIVE_INTERVAL: '10m', PAUSE_ON_DEPENDENCY_DOWN: 'no' })).toMatchObject({
      consumer: { pauseOnDependencyDown: false },
      deadLetters: { alertWebhookUrl: 'https://hooks.example/dlq', redriveIntervalMs: 600_000 },
    });
  });

  it('rejects bad values, naming each variable, without echoing the database password', () => {
    const error = configErrorOf(() =>
      loadCoupon({
        COUPON_DB_URL: `mysql://app:${SECRET}@db/coupon-service`,
        ALERT_WEBHOOK_URL: 'ftp://hooks.example',
        PAUSE_ON_DEPENDENCY_DOWN: 'maybe',
      }),
    );

    expect(error.problems).toEqual([
      'COUPON_DB_URL: must name a database of letters, digits and "_" (at most 64)',
      'PAUSE_ON_DEPENDENCY_DOWN: must be true or false',
      'ALERT_WEBHOOK_URL: must be an http(s) URL',
    ]);
    expect(error.message).not.toContain(SECRET);
  });

  it('refuses to start chaos without the operator token guarding it', () => {
    expect(configErrorOf(() => loadCoupon({ CHAOS_ENABLED: 'true' })).problems).toEqual([
      'OPERATOR_TOKEN: required when CHAOS_ENABLED=true, or OPERATOR_TOKENS (the chaos endpoints are operator routes)',
    ]);
    expect(loadCoupon({ CHAOS_ENABLED: 'true', OPERATOR_TOKEN: 'a-long-operator-token' })).toMatchObject({
      chaos: { enabled: true },
      operatorToken: 'a-long-operator-token',
    });
    expect(loadCoupon({}).operatorToken).toBeUndefined();
  });

  it('takes only a long, printable operator token, and never echoes it', () => {
    const short = configErrorOf(() => loadCoupon({ OPERATOR_TOKEN: 'short-secret' }));
    expect(short.problems).toEqual(['OPERATOR_TOKEN: must be at least 16 characters']);
    expect(short.message).not.toContain('short-secret');
    expect(configErrorOf(() => loadOrderServiceConfig({ OPERATOR_TOKEN: 'has a space in it!!' })).problems).toEqual([
      'OPERATOR_TOKEN: must be printable ASCII without spaces',
    ]);
    expect(loadOrderServiceConfig({ OPERATOR_TOKEN: 'x'.repeat(16) }).operatorToken).toBe('x'.repeat(16));
  });

  it('names operators from OPERATOR_TOKENS beside OPERATOR_TOKEN (named operator), each token checked, never echoed', () => {
    const a = 'alice-secret-0123456789';
    const b = 'bob-secret-0123456789ab';
    expect(loadCoupon({ OPERATOR_TOKEN: 'x'.repeat(16), OPERATOR_TOKENS: `alice:${a}, bob:${b}` }).operators).toEqual([
      { name: 'operator', token: 'x'.repeat(16) },
      { name: 'alice', token: a },
      { name: 'bob', token: b },
    ]);
    expect(loadCoupon({ CHAOS_ENABLED: 'true', OPERATOR_TOKENS: `alice:${a}` }).chaos.enabled).toBe(true);
    expect(loadCoupon({}).operators).toEqual([]);
    const bad = configErrorOf(() => loadCoupon({ OPERATOR_TOKENS: `alice:short,:${b},alice:${b},bob:${b},carol` }));
    expect(bad.problems).toEqual([
      'OPERATOR_TOKENS: entry 1 (alice): the token must be 16–256 printable characters without spaces or commas',
      "OPERATOR_TOKENS: entry 2: must be name:token with a name of letters, digits, '_', '.', '-' (at most 32)",
      "OPERATOR_TOKENS: entry 4 (bob): the token is another operator's",
      "OPERATOR_TOKENS: entry 5: must be name:token with a name of letters, digits, '_', '.', '-' (at most 32)",
    ]);
    expect(bad.message).not.toContain(b);
    expect(configErrorOf(() => loadCoupon({ OPERATOR_TOKEN: a, OPERATOR_TOKENS: `alice:${a}` })).problems).toEqual([
      'OPERATOR_TOKENS: a token is also OPERATOR_TOKEN',
    ]);
  });
});
