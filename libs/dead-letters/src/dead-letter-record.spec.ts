import { ConsumeMessage } from 'amqplib';
import { FailureHeaders } from '@reliable-payments/messaging';
import { clampAttempts, clampDate, clampText, letterFromMessage, MAX_STORED_HEADERS_CHARS, stubLetter } from './dead-letter-record';

function message(headers: Record<string, unknown>, content = Buffer.from('{}'), messageId: unknown = 'm-1'): ConsumeMessage {
  return {
    content,
    fields: { deliveryTag: 1, redelivered: false, exchange: '', routingKey: 'q.dlq', consumerTag: 'c' },
    properties: { headers, messageId, contentType: 'application/json' },
  } as unknown as ConsumeMessage;
}

describe('dead letter record (untrusted headers clamped to their columns)', () => {
  it('clamps attempts into INT range, and treats junk as 0', () => {
    expect(clampAttempts(9_999_999_999)).toBe(2_147_483_647);
    expect(clampAttempts('9999999999')).toBe(2_147_483_647);
    expect(clampAttempts(-5)).toBe(0);
    expect(clampAttempts('many')).toBe(0);
    expect(clampAttempts(undefined)).toBe(0);
    expect(clampAttempts(3.7)).toBe(3);
  });

  it('keeps only dates DATETIME can hold', () => {
    expect(clampDate('2026-11-21T10:00:00.000Z')?.toISOString()).toBe('2026-11-21T10:00:00.000Z');
    expect(clampDate('+275760-09-13T00:00:00.000Z')).toBeNull();
    expect(clampDate('0001-01-01T00:00:00Z')).toBeNull();
    expect(clampDate('yesterday')).toBeNull();
    expect(clampDate(undefined)).toBeNull();
  });

  it('truncates text by characters, on one line', () => {
    expect(clampText('a\nb\u0000c', 10)).toBe('a b c');
    expect(Array.from(clampText('😀'.repeat(100), 32))).toHaveLength(32);
    expect(clampText('x'.repeat(10), 10)).toBe('x'.repeat(10));
  });

  it('fits every column whatever the headers say', () => {
    const letter = letterFromMessage(
      message(
        {
          [FailureHeaders.attempts]: 9_999_999_999,
          [FailureHeaders.deadLetterReason]: 'r'.repeat(10_000),
          [FailureHeaders.errorCode]: 'C'.repeat(1_000),
          [FailureHeaders.errorClass]: 'transient-but-very-long',
          [FailureHeaders.errorMessage]: 'm'.repeat(100_000),
          [FailureHeaders.originalQueue]: 'q'.repeat(1_000),
          [FailureHeaders.firstFailedAt]: '+275760-09-13T00:00:00.000Z',
          [FailureHeaders.lastFailedAt]: 12,
        },
        Buffer.from('{}'),
        'i'.repeat(1_000),
      ),
      'svc.dlq',
      new Date(),
    );
    expect(letter.attempts).toBe(2_147_483_647);
    expect(Array.from(letter.reason).length).toBeLessThanOrEqual(32);
    expect(Array.from(letter.errorCode).length).toBeLessThanOrEqual(64);
    expect(Array.from(letter.errorClass).length).toBeLessThanOrEqual(16);
    expect(Array.from(letter.errorMessage).length).toBeLessThanOrEqual(512);
    expect(Array.from(letter.originalQueue).length).toBeLessThanOrEqual(255);
    expect(Array.from(letter.messageId ?? '').length).toBeLessThanOrEqual(128);
    expect(letter.firstFailedAt).toBeNull();
  });

  it('keeps only its own headers when the header table is huge', () => {
    const letter = letterFromMessage(message({ junk: 'j'.repeat(MAX_STORED_HEADERS_CHARS * 2), [FailureHeaders.errorCode]: 'X' }), 'svc.dlq', new Date());
    expect(letter.headers.length).toBeLessThan(MAX_STORED_HEADERS_CHARS);
    expect(JSON.parse(letter.headers)).toEqual({ [FailureHeaders.errorCode]: 'X', truncated: true });
  });

  it('gives a redelivery of the same dead letter the same key, and another dead-lettering another', () => {
    const a = letterFromMessage(message({ [FailureHeaders.deadLetterId]: 'd-1' }), 'q', new Date());
    const b = letterFromMessage(message({ [FailureHeaders.deadLetterId]: 'd-1' }), 'q', new Date());
    const c = letterFromMessage(message({ [FailureHeaders.deadLetterId]: 'd-2' }), 'q', new Date());
    expect(a.deadLetterKey).toBe(b.deadLetterKey);
    expect(a.deadLetterKey).not.toBe(c.deadLetterKey);
  });

  it('makes a stub without payload, in plain ASCII, that says why', () => {
    const stub = stubLetter(message({}, Buffer.alloc(10), 'id-\u{1F600}'), 'svc.dlq', new Date(), new Error('Data too long'));
    expect(stub).toMatchObject({ reason: 'unstorable', errorCode: 'UNSTORABLE', messageId: 'id-??', headers: '{}' });
    expect(stub.payload).toHaveLength(0);
    expect(JSON.parse(stub.properties)).toEqual({ payloadBytes: 10, stub: true });
    expect(stub.errorMessage).toContain('Data too long');
  });
});

describe('dead letter record (what the service decides when it stores a letter)', () => {
  const orderId = '0b6c1f7e-8d0a-4a39-9c3e-2f1f6c1b8e11';
  const body = Buffer.from(JSON.stringify({ data: { orderId } }));

  it('classifies by an allow-list, reads the order id once and names the failure group', () => {
    const exhausted = letterFromMessage(
      message({ [FailureHeaders.deadLetterReason]: 'retries-exhausted', [FailureHeaders.errorCode]: 'DB_UNAVAILABLE' }, body),
      'q',
      new Date(),
    );
    expect(exhausted).toMatchObject({ redriveClass: 'exhausted', orderId, fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/) });
    const planted = letterFromMessage(message({ [FailureHeaders.deadLetterReason]: 'totally-fine' }, body), 'q', new Date());
    expect(planted.redriveClass).toBe('poison');
  });

  it('takes no order id from a body that is not JSON or names no UUID', () => {
    expect(letterFromMessage(message({}, Buffer.from('not json')), 'q', new Date()).orderId).toBeNull();
    expect(letterFromMessage(message({}, Buffer.from('{"data":{"orderId":"1 OR 1=1"}}')), 'q', new Date()).orderId).toBeNull();
  });
});
