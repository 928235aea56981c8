import { ConsumeMessage } from 'amqplib';
import { messageLogFields, traceIdOf } from './message-log-fields';

const message = (properties: Partial<ConsumeMessage['properties']>) => ({ properties: { headers: {}, ...properties } }) as Pick<ConsumeMessage, 'properties'>;

describe('messageLogFields', () => {
  it('names the message, queue, attempt, trace and the business keys of a decoded event', () => {
    const fields = messageLogFields(
      message({ messageId: 'm-1', headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' } }),
      'coupon-service.payment-succeeded',
      3,
      () => ({ orderId: 'o-1' }),
    );
    expect(fields).toEqual({
      messageId: 'm-1',
      queue: 'coupon-service.payment-succeeded',
      attempt: 3,
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      orderId: 'o-1',
    });
  });

  it('leaves out what is unknown, and never throws for a bad describe or header', () => {
    const fields = messageLogFields(message({ messageId: undefined, headers: { traceparent: 42 } }), 'q', 1, () => {
      throw new Error('not decodable');
    });
    expect(fields).toEqual({ messageId: '', queue: 'q', attempt: 1 });
    expect(messageLogFields(message({ messageId: 'x'.repeat(1000) }), 'q', 1).messageId).toHaveLength(128);
  });
});

describe('traceIdOf', () => {
  it('takes the trace id of a well-formed traceparent only', () => {
    expect(traceIdOf('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(traceIdOf('00-00000000000000000000000000000000-00f067aa0ba902b7-01')).toBeUndefined();
    expect(traceIdOf('00-XYZ-00f067aa0ba902b7-01')).toBeUndefined();
    expect(traceIdOf(undefined)).toBeUndefined();
  });
});
