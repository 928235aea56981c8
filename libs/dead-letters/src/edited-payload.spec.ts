import { paymentSucceededV1, PaymentSucceeded } from '@reliable-payments/contracts';
import { DeadLetterEditInvalidError, validateEditedPayload } from './edited-payload';

describe('validateEditedPayload', () => {
  const event = paymentSucceededV1({ orderId: '0b6c1f7e-8d0a-4a39-9c3e-2f1f6c1b8e11', userId: 'u', amount: '10.00', currency: 'CNY' });

  it('accepts an event that passes the contract and keeps its id', () => {
    expect(JSON.parse(validateEditedPayload(PaymentSucceeded, event, event.eventId).toString())).toEqual(event);
  });

  it('names the field that fails the contract', () => {
    expect(() => validateEditedPayload(PaymentSucceeded, { ...event, data: { ...event.data, amount: '10' } }, event.eventId)).toThrow(
      /payload\.data\.amount: /,
    );
    expect(() => validateEditedPayload(PaymentSucceeded, { ...event, extra: 1 }, event.eventId)).toThrow(DeadLetterEditInvalidError);
  });

  it('refuses a changed event id', () => {
    expect(() => validateEditedPayload(PaymentSucceeded, event, 'another-id')).toThrow(/payload\.eventId/);
  });
});
