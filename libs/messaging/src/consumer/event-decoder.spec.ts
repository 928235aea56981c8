import { ConsumeMessage, MessageProperties } from 'amqplib';
import { PaymentSucceeded, paymentSucceededV1, PaymentSucceededV1 } from '@reliable-payments/contracts';
import { PermanentError } from '@reliable-payments/errors';
import { signatureHeaders } from '../signing/event-signature';
import { decodeEvent } from './event-decoder';

const EVENT_ID = '0b6f4a9e-7c1d-4e2f-9a3b-5c6d7e8f9a0b';
const MAX_BYTES = 64 * 1024;

const event = (): PaymentSucceededV1 =>
  paymentSucceededV1(
    { orderId: '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b', userId: 'user-42', amount: '128.50', currency: 'CNY' },
    new Date('2025-03-01T12:00:00.000Z'),
    EVENT_ID,
  );

/** A delivery as amqplib hands it to a consumer; `body` is sent as JSON unless it is a string or a Buffer. */
const delivery = (body: unknown, properties: Partial<MessageProperties> = {}): ConsumeMessage => ({
  content: Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
  fields: { deliveryTag: 1, redelivered: false, exchange: 'payments.events', routingKey: 'payment.succeeded', consumerTag: 'ctag-1' },
  properties: {
    contentType: 'application/json',
    contentEncoding: undefined,
    headers: {},
    deliveryMode: 2,
    priority: undefined,
    correlationId: undefined,
    replyTo: undefined,
    expiration: undefined,
    messageId: EVENT_ID,
    timestamp: undefined,
    type: undefined,
    userId: undefined,
    appId: undefined,
    clusterId: undefined,
    ...properties,
  },
});

const decode = (message: ConsumeMessage, maxBytes = MAX_BYTES) => decodeEvent(PaymentSucceeded, maxBytes, message);

/** The PermanentError that decoding raises; fails the test if decoding succeeds or throws anything else. */
const rejectionOf = (message: ConsumeMessage, maxBytes = MAX_BYTES): PermanentError => {
  try {
    decode(message, maxBytes);
  } catch (error) {
    if (error instanceof PermanentError) return error;
    throw error;
  }
  throw new Error('decoded without error');
};

describe('decodeEvent', () => {
  it('returns a valid PaymentSucceeded v1 event', () => {
    expect(decode(delivery(event()))).toEqual(event());
  });

  it('accepts a content type with parameters, in any case', () => {
    expect(decode(delivery(event(), { contentType: 'Application/JSON; charset=utf-8' }))).toEqual(event());
  });

  it('accepts a delivery without messageId', () => {
    expect(decode(delivery(event(), { messageId: undefined }))).toEqual(event());
  });

  it('accepts a body of exactly the maximum size', () => {
    const message = delivery(event());

    expect(decode(message, message.content.length)).toEqual(event());
  });

  it('rejects a body one byte over the maximum as MESSAGE_TOO_LARGE', () => {
    const message = delivery(event());

    expect(rejectionOf(message, message.content.length - 1).code).toBe('MESSAGE_TOO_LARGE');
  });

  it('checks the size before anything else, so a huge non-JSON body is MESSAGE_TOO_LARGE', () => {
    const huge = delivery(Buffer.alloc(MAX_BYTES + 1, '{'), { contentType: 'text/plain' });

    expect(rejectionOf(huge).code).toBe('MESSAGE_TOO_LARGE');
  });

  it.each([['text/plain'], ['application/jsonx'], [''], [undefined]])('rejects content type %p as UNSUPPORTED_CONTENT_TYPE', (contentType) => {
    expect(rejectionOf(delivery(event(), { contentType })).code).toBe('UNSUPPORTED_CONTENT_TYPE');
  });

  it('rejects a body that is not JSON as INVALID_JSON', () => {
    expect(rejectionOf(delivery('{"eventId": "0b6f4a9e-')).code).toBe('INVALID_JSON');
  });

  it.each([
    ['null', null],
    ['an array', [event()]],
    ['an event without eventId', { ...event(), eventId: undefined }],
    ['an event with a malformed eventId', { ...event(), eventId: 'not-a-uuid' }],
    ['an event without type', { ...event(), type: undefined }],
    ['an event without occurredAt', { ...event(), occurredAt: undefined }],
  ])('rejects %s as INVALID_ENVELOPE', (_label, body) => {
    expect(rejectionOf(delivery(body)).code).toBe('INVALID_ENVELOPE');
  });

  it('rejects an event without data.userId as SCHEMA_INVALID, naming the field', () => {
    const data: Partial<PaymentSucceededV1['data']> = event().data;
    delete data.userId;

    const rejection = rejectionOf(delivery({ ...event(), data }));

    expect(rejection.code).toBe('SCHEMA_INVALID');
    expect(rejection.message).toContain('data.userId');
  });

  it('rejects an amount that is not a two-place decimal string as SCHEMA_INVALID', () => {
    expect(rejectionOf(delivery({ ...event(), data: { ...event().data, amount: '12.5' } })).code).toBe('SCHEMA_INVALID');
  });

  it('rejects another event type as UNKNOWN_EVENT_TYPE', () => {
    expect(rejectionOf(delivery({ ...event(), type: 'order.created' })).code).toBe('UNKNOWN_EVENT_TYPE');
  });

  it('rejects version 99 as UNSUPPORTED_VERSION', () => {
    expect(rejectionOf(delivery({ ...event(), version: 99 })).code).toBe('UNSUPPORTED_VERSION');
  });

  it('rejects a messageId that differs from the eventId as MESSAGE_ID_MISMATCH', () => {
    const message = delivery(event(), { messageId: 'a1b2c3d4-0000-4000-8000-000000000000' });

    expect(rejectionOf(message).code).toBe('MESSAGE_ID_MISMATCH');
  });

  it('rejects an unknown top-level field as SCHEMA_INVALID', () => {
    expect(rejectionOf(delivery({ ...event(), priority: 'high' })).code).toBe('SCHEMA_INVALID');
  });

  it('rejects an unknown field inside data as SCHEMA_INVALID', () => {
    expect(rejectionOf(delivery({ ...event(), data: { ...event().data, discount: '5.00' } })).code).toBe('SCHEMA_INVALID');
  });
});

describe('decodeEvent with signature keys', () => {
  const KEY = { id: 'k1', secret: 'a-signing-secret-of-32-characters!' };
  const keys = new Map([[KEY.id, KEY.secret]]);

  it('decodes an event signed over its exact bytes', () => {
    const content = Buffer.from(JSON.stringify(event()));
    const signed = delivery(content, { headers: signatureHeaders(KEY, EVENT_ID, content) });
    expect(decodeEvent(PaymentSucceeded, MAX_BYTES, signed, keys)).toEqual(event());
  });

  it('checks the signature before parsing: an unsigned body that is not even JSON is SIGNATURE_MISSING', () => {
    expect(() => decodeEvent(PaymentSucceeded, MAX_BYTES, delivery('{not json'), keys)).toThrow(expect.objectContaining({ code: 'SIGNATURE_MISSING' }));
  });

  it('still checks the size first', () => {
    expect(() => decodeEvent(PaymentSucceeded, 8, delivery(event()), keys)).toThrow(expect.objectContaining({ code: 'MESSAGE_TOO_LARGE' }));
  });
});
