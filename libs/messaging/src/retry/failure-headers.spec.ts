import { Classification } from '@reliable-payments/errors';
import { attemptsOf, FailureHeaders, failureHeaders, MAX_ERROR_MESSAGE_LENGTH, truncate } from './failure-headers';

const failure = (overrides: Partial<Classification> = {}): Classification => ({
  kind: 'transient',
  code: 'DB_DEADLOCK',
  dependencyDown: false,
  message: 'Deadlock found when trying to get lock',
  ...overrides,
});

const now = new Date('2025-03-01T12:00:00.000Z');

describe('attemptsOf', () => {
  it('is 0 for a fresh message', () => {
    expect(attemptsOf(undefined)).toBe(0);
    expect(attemptsOf({})).toBe(0);
  });

  it('reads the count whether the broker hands it back as a number or a string', () => {
    expect(attemptsOf({ 'retry-attempts': 3 })).toBe(3);
    expect(attemptsOf({ 'retry-attempts': '7' })).toBe(7);
  });

  it.each([['abc'], [-2], [1.5], [{}], [Number.POSITIVE_INFINITY], ['0x10'], [true], [[5]]])('counts a malformed value %p as 0', (value) => {
    expect(attemptsOf({ 'retry-attempts': value })).toBe(0);
  });
});

describe('truncate', () => {
  it('leaves a short one-line text unchanged', () => {
    expect(truncate('lock wait timeout')).toBe('lock wait timeout');
  });

  it('folds newlines and runs of whitespace into single spaces, and trims', () => {
    expect(truncate('  Error: boom\n    at handler (x.ts:1:1)\t end ')).toBe('Error: boom at handler (x.ts:1:1) end');
  });

  it('cuts a long text to exactly `max` characters, ending with an ellipsis', () => {
    expect(truncate('abcdefghij', 5)).toBe('abcd…');
    expect(truncate('abcde', 5)).toBe('abcde');
  });

  it('defaults to 300 characters', () => {
    const cut = truncate('x'.repeat(1000));

    expect(MAX_ERROR_MESSAGE_LENGTH).toBe(300);
    expect(cut).toHaveLength(300);
    expect(cut.endsWith('x…')).toBe(true);
  });
});

describe('failureHeaders', () => {
  it('records the failure on a fresh message', () => {
    expect(failureHeaders(undefined, failure(), 1, 'coupon.payment-succeeded', now)).toEqual({
      'attempt-history': '1@2025-03-01T12:00:00.000Z@DB_DEADLOCK',
      'retry-attempts': 1,
      'first-failed-at': '2025-03-01T12:00:00.000Z',
      'last-failed-at': '2025-03-01T12:00:00.000Z',
      'last-error-code': 'DB_DEADLOCK',
      'last-error-class': 'transient',
      'last-error': 'Deadlock found when trying to get lock',
      'original-queue': 'coupon.payment-succeeded',
    });
  });

  it('keeps first-failed-at from the previous headers and updates last-failed-at', () => {
    const previous = failureHeaders(undefined, failure(), 1, 'coupon.payment-succeeded', new Date('2025-03-01T11:00:00.000Z'));

    const headers = failureHeaders(previous, failure({ code: 'ECONNREFUSED' }), 2, 'coupon.payment-succeeded', now);

    expect(headers).toMatchObject({
      'retry-attempts': 2,
      'first-failed-at': '2025-03-01T11:00:00.000Z',
      'last-failed-at': '2025-03-01T12:00:00.000Z',
      'last-error-code': 'ECONNREFUSED',
    });
  });

  it('drops a history and first-failure time a publisher sent with a message on its first failure', () => {
    const forged = { 'first-failed-at': '2000-01-01T00:00:00.000Z', 'attempt-history': '999@2000-01-01T00:00:00.000Z@FORGED', 'retry-attempts': 999 };

    expect(failureHeaders(forged, failure(), 1, 'coupon.payment-succeeded', now)).toMatchObject({
      'retry-attempts': 1,
      'first-failed-at': '2025-03-01T12:00:00.000Z',
      'attempt-history': '1@2025-03-01T12:00:00.000Z@DB_DEADLOCK',
    });
  });

  it('keeps application headers but drops broker-owned x- headers and the publish-id header', () => {
    const previous = {
      'trace-id': 'abc-123',
      'x-death': [
        {
          count: 1,
          reason: 'expired' as const,
          queue: 'coupon.payment-succeeded.retry.1s',
          time: { '!': 'timestamp' as const, value: 1_740_830_400 },
          exchange: '',
          'routing-keys': ['coupon.payment-succeeded.retry.1s'],
        },
      ],
      'x-first-death-queue': 'coupon.payment-succeeded',
      'publish-id': '6f1e0c.42',
    };

    const headers = failureHeaders(previous, failure(), 1, 'coupon.payment-succeeded', now);

    expect(Object.keys(headers).sort()).toEqual([
      'attempt-history',
      'first-failed-at',
      'last-error',
      'last-error-class',
      'last-error-code',
      'last-failed-at',
      'original-queue',
      'retry-attempts',
      'trace-id',
    ]);
    expect(headers['trace-id']).toBe('abc-123');
  });

  it('does not modify the previous headers object', () => {
    const previous = { 'x-death': [], 'publish-id': 'p.1' };

    failureHeaders(previous, failure(), 1, 'q', now);

    expect(previous).toEqual({ 'x-death': [], 'publish-id': 'p.1' });
  });

  it('sets dead-letter-reason only when one is given', () => {
    const deadLettered = failureHeaders(undefined, failure({ kind: 'permanent' }), 1, 'q', now, 'permanent');
    const retried = failureHeaders(deadLettered, failure(), 2, 'q', now);

    expect(deadLettered[FailureHeaders.deadLetterReason]).toBe('permanent');
    expect(deadLettered[FailureHeaders.errorClass]).toBe('permanent');
    expect(retried).not.toHaveProperty(FailureHeaders.deadLetterReason);
  });

  it('records retries-exhausted as the reason after the last level', () => {
    expect(failureHeaders(undefined, failure(), 5, 'q', now, 'retries-exhausted')['dead-letter-reason']).toBe('retries-exhausted');
  });

  it('truncates the error message to 300 characters and the code to 64', () => {
    const headers = failureHeaders(undefined, failure({ message: 'm'.repeat(5000), code: 'C'.repeat(100) }), 1, 'q', now);

    expect(headers['last-error']).toHaveLength(300);
    expect(headers['last-error-code']).toHaveLength(64);
  });
});
