import { failureFingerprint, FINGERPRINT_PATTERN, normaliseErrorMessage } from './failure-fingerprint';

describe('failureFingerprint', () => {
  it('is the same for the same failure about different orders, attempts and ids', () => {
    const a = failureFingerprint('DB_UNAVAILABLE', 'connect ECONNREFUSED 127.0.0.1:3306 (order 0b6c1f7e-8d0a-4a39-9c3e-2f1f6c1b8e11, attempt 3)');
    const b = failureFingerprint('DB_UNAVAILABLE', 'connect ECONNREFUSED 127.0.0.1:3307 (order 7d7b7a4e-1111-4c3b-8e2f-000000000000, attempt 17)');
    expect(a).toBe(b);
    expect(a).toMatch(FINGERPRINT_PATTERN);
  });

  it('differs between different codes and different wordings', () => {
    const base = failureFingerprint('SCHEMA_INVALID', 'data.amount: must be a string');
    expect(failureFingerprint('NOT_JSON', 'data.amount: must be a string')).not.toBe(base);
    expect(failureFingerprint('SCHEMA_INVALID', 'data.orderId: must be a UUID')).not.toBe(base);
  });

  it('takes quoted values and long hex ids out of the message', () => {
    expect(normaliseErrorMessage(`unknown type 'x.y' for id deadbeefdeadbeefdeadbeef`)).toBe('unknown type <value> for id <id>');
  });
});
