import { COUPON_CONSUMER } from '@reliable-payments/contracts';
import { ConfigError } from './env';
import { loadConsumerServiceConfig, loadOrderServiceConfig } from './service.config';

const SECRET_A = 'alpha-secret-alpha-secret-alpha-00';
const SECRET_B = 'bravo-secret-bravo-secret-bravo-11';
const KEYS = `k1:${SECRET_A},k2:${SECRET_B}`;

const loadCoupon = (env: Record<string, string>) =>
  loadConsumerServiceConfig('COUPON', { port: 3001, database: 'coupon_service', serviceName: COUPON_CONSUMER.name }, env);

/** The problems loading raises; fails the test if loading succeeds or throws anything else. */
const problemsOf = (load: () => unknown): string[] => {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('loaded without error');
};

describe('event signing configuration', () => {
  it('is off on every service when EVENT_SIGNING_KEYS is unset', () => {
    expect(loadOrderServiceConfig({}).outbox.signWith).toBeUndefined();
    expect(loadCoupon({}).consumer.signatureKeys).toBeUndefined();
    expect(loadCoupon({}).deadLetters.signing).toBeUndefined();
  });

  it('gives the order service the key EVENT_SIGNING_KEY_ID names', () => {
    expect(loadOrderServiceConfig({ EVENT_SIGNING_KEYS: KEYS, EVENT_SIGNING_KEY_ID: 'k2' }).outbox.signWith).toEqual({ id: 'k2', secret: SECRET_B });
  });

  it('gives a consumer every key (a rotation overlaps) and no key to sign with unless named', () => {
    const config = loadCoupon({ EVENT_SIGNING_KEYS: ` k1:${SECRET_A} , k2:${SECRET_B} ` });
    expect([...(config.consumer.signatureKeys ?? new Map()).entries()]).toEqual([
      ['k1', SECRET_A],
      ['k2', SECRET_B],
    ]);
    expect(config.deadLetters.signing?.signWith).toBeUndefined();
    expect(loadCoupon({ EVENT_SIGNING_KEYS: KEYS, EVENT_SIGNING_KEY_ID: 'k1' }).deadLetters.signing?.signWith).toEqual({ id: 'k1', secret: SECRET_A });
  });

  it.each([
    ['a short secret', { EVENT_SIGNING_KEYS: `k1:${SECRET_A},k2:short-secret` }, 'EVENT_SIGNING_KEYS: entry 2: the secret must be at least 32 characters'],
    ['an entry without a colon', { EVENT_SIGNING_KEYS: SECRET_A }, 'EVENT_SIGNING_KEYS: entry 1 is not key-id:secret'],
    ['a bad key id', { EVENT_SIGNING_KEYS: `Key_1:${SECRET_A}` }, 'EVENT_SIGNING_KEYS: entry 1: the key id must match [a-z0-9-]{1,32}'],
    [
      'a repeated key id',
      { EVENT_SIGNING_KEYS: `k1:${SECRET_A},k1:${SECRET_B}` },
      'EVENT_SIGNING_KEYS: entry 2: key id "k1" is already used by an earlier entry',
    ],
    [
      'an unknown signing key id',
      { EVENT_SIGNING_KEYS: KEYS, EVENT_SIGNING_KEY_ID: 'k9' },
      'EVENT_SIGNING_KEY_ID: must be one of the key ids in EVENT_SIGNING_KEYS',
    ],
    ['a key id without keys', { EVENT_SIGNING_KEY_ID: 'k1' }, 'EVENT_SIGNING_KEY_ID: set without EVENT_SIGNING_KEYS'],
  ])('refuses %s, naming the variable and never echoing a secret', (_, env, problem) => {
    for (const load of [() => loadCoupon(env), () => loadOrderServiceConfig({ EVENT_SIGNING_KEY_ID: 'k1', ...env })]) {
      const problems = problemsOf(load);
      expect(problems).toContain(problem);
      const text = problems.join('\n');
      for (const secret of [SECRET_A, SECRET_B, 'short-secret']) expect(text).not.toContain(secret);
    }
  });

  it('refuses keys on the order service without EVENT_SIGNING_KEY_ID (it would publish unsigned events)', () => {
    expect(problemsOf(() => loadOrderServiceConfig({ EVENT_SIGNING_KEYS: KEYS }))).toEqual([
      'EVENT_SIGNING_KEY_ID: required on the order service when EVENT_SIGNING_KEYS is set',
    ]);
  });
});
