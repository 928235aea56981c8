import { recordedAttempts } from './recorded-attempts';

describe('recordedAttempts', () => {
  const routes = { moveExchange: 'coupon.payment-succeeded.moves', retryQueues: ['a', 'b', 'c'] };

  it('ignores the header on a message from outside: the payments exchange or the default exchange', () => {
    expect(recordedAttempts({ exchange: 'payments.events' }, { 'retry-attempts': 999 }, routes)).toBe(0);
    expect(recordedAttempts({ exchange: '' }, { 'retry-attempts': 2 }, routes)).toBe(0);
  });

  it("reads it on a message back from the consumer's own retry path", () => {
    expect(recordedAttempts({ exchange: routes.moveExchange }, { 'retry-attempts': 2 }, routes)).toBe(2);
    expect(recordedAttempts({ exchange: routes.moveExchange }, undefined, routes)).toBe(0);
  });

  it('never counts more failures than the ladder has levels', () => {
    expect(recordedAttempts({ exchange: routes.moveExchange }, { 'retry-attempts': 999 }, routes)).toBe(3);
  });
});
