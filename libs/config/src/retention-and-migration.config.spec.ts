import { COUPON_CONSUMER } from '@reliable-payments/contracts';
import { ConfigError } from './env';
import { loadConsumerServiceConfig, loadOrderServiceConfig } from './service.config';

const SECRET = 'Mi9rat10nS3cret';
const loadCoupon = (env: Record<string, string>) =>
  loadConsumerServiceConfig('COUPON', { port: 3001, database: 'coupon_service', serviceName: COUPON_CONSUMER.name }, env);

const problemsOf = (load: () => unknown): string => {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('loaded without error');
};

describe('*_DB_MIGRATION_URL', () => {
  it('is unset by default: migrations run with the service URL', () => {
    expect(loadOrderServiceConfig({}).migrationDatabase).toBeUndefined();
    expect(loadCoupon({}).migrationDatabase).toBeUndefined();
  });

  it('reads a separate account for the same database', () => {
    const config = loadCoupon({
      COUPON_DB_URL: 'mysql://coupon:app@db:3306/coupons',
      COUPON_DB_MIGRATION_URL: `mysql://coupon_migrate:${SECRET}@db:3306/coupons`,
    });
    expect(config.migrationDatabase).toMatchObject({ user: 'coupon_migrate', password: SECRET, database: 'coupons' });
    expect(config.migrationDatabase?.redacted).not.toContain(SECRET);
    expect(config.database.user).toBe('coupon');
  });

  it.each([
    ['another database', `mysql://m:${SECRET}@db:3306/other`],
    ['another host', `mysql://m:${SECRET}@elsewhere:3306/orders`],
    ['another port', `mysql://m:${SECRET}@db:3307/orders`],
  ])('refuses %s, naming the variable without echoing the password', (_, url) => {
    const message = problemsOf(() => loadOrderServiceConfig({ ORDER_DB_URL: 'mysql://o:p@db:3306/orders', ORDER_DB_MIGRATION_URL: url }));
    expect(message).toContain("ORDER_DB_MIGRATION_URL: must name the same host, port and database as the service's own URL");
    expect(message).not.toContain(SECRET);
  });

  it('refuses a malformed URL without echoing it', () => {
    const message = problemsOf(() => loadCoupon({ COUPON_DB_MIGRATION_URL: `postgres://m:${SECRET}@db/x` }));
    expect(message).toContain('COUPON_DB_MIGRATION_URL: must use the mysql:// scheme');
    expect(message).not.toContain(SECRET);
  });
});

describe('retention', () => {
  it('keeps inbox rows and re-driven dead letters 30 days by default, cleaning up every minute', () => {
    const config = loadCoupon({});
    expect(config.consumer.inboxRetentionMs).toBe(30 * 86_400_000);
    expect(config.deadLetters.retentionMs).toBe(30 * 86_400_000);
    expect(config.consumer.retentionCleanupIntervalMs).toBe(60_000);
    expect(config.deadLetters.cleanupIntervalMs).toBe(60_000);
  });

  it('reads the variables', () => {
    const config = loadCoupon({ INBOX_RETENTION: '2h', DEAD_LETTER_RETENTION: '7d', RETENTION_CLEANUP_INTERVAL: '5s', RETRY_LADDER: '1s,1m' });
    expect(config.consumer.inboxRetentionMs).toBe(7_200_000);
    expect(config.deadLetters.retentionMs).toBe(7 * 86_400_000);
    expect(config.consumer.retentionCleanupIntervalMs).toBe(5000);
  });

  it('refuses an inbox retention no longer than the ladder plus the automatic re-drive interval', () => {
    // 1s + 1m + 10m of ladder + 10m until the automatic re-drive = 21m1s: an id forgotten sooner
    // could let a late copy be granted twice.
    const env = { RETRY_LADDER: '1s,1m,10m', DEAD_LETTER_REDRIVE_INTERVAL: '10m' };
    expect(problemsOf(() => loadCoupon({ ...env, INBOX_RETENTION: '21m' }))).toContain(
      'INBOX_RETENTION: must be longer than the whole retry ladder plus DEAD_LETTER_REDRIVE_INTERVAL (1261s)',
    );
    expect(loadCoupon({ ...env, INBOX_RETENTION: '22m' }).consumer.inboxRetentionMs).toBe(1_320_000);
  });

  it('checks against the service ladder, not RETRY_LADDER, when it has one', () => {
    expect(problemsOf(() => loadCoupon({ RETRY_LADDER: '1s', COUPON_RETRY_LADDER: '2h', INBOX_RETENTION: '1h' }))).toContain('INBOX_RETENTION');
  });

  it('refuses a zero dead-letter retention', () => {
    expect(problemsOf(() => loadCoupon({ DEAD_LETTER_RETENTION: '0' }))).toContain('DEAD_LETTER_RETENTION: must be at least 1ms');
  });
});
