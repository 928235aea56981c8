import { brokerFacts, queueOptionsFor } from './broker-arguments';
import { buildTopology } from './topology';

describe('queue arguments per broker version', () => {
  const topology = (queueType: 'classic' | 'quorum') =>
    buildTopology([
      { queue: 'svc.payment-succeeded', exchange: 'payments.events', routingKeys: ['payment.succeeded'], retryLadderMs: [1_000, 5_000], queueType },
    ]);
  const limits = (queueType: 'classic' | 'quorum', major: number) =>
    Object.fromEntries(
      topology(queueType).queues.map((q) => [q.name, (queueOptionsFor(q.options, { major }).arguments as Record<string, unknown>)['x-delivery-limit']]),
    );

  it('reads the major version from the server properties, 0 when there is none', () => {
    expect(brokerFacts({ version: '4.0.5' })).toEqual({ major: 4 });
    expect(brokerFacts({ version: '3.10.8' })).toEqual({ major: 3 });
    expect(brokerFacts({})).toEqual({ major: 0 });
    expect(brokerFacts(undefined)).toEqual({ major: 0 });
  });

  it('on RabbitMQ 4, lifts the default delivery limit of every quorum queue but the main one, whose limit feeds the DLQ', () => {
    expect(limits('quorum', 4)).toEqual({
      'svc.payment-succeeded': 20,
      'svc.payment-succeeded.retry.1s': -1,
      'svc.payment-succeeded.retry.5s': -1,
      'svc.payment-succeeded.dlq': -1,
    });
  });

  it('on RabbitMQ 3, and for classic queues, changes nothing (3.x reads -1 as "drop after one delivery")', () => {
    for (const [type, major] of [
      ['quorum', 3],
      ['classic', 4],
      ['classic', 3],
    ] as const) {
      for (const q of topology(type).queues) expect(queueOptionsFor(q.options, { major })).toBe(q.options);
    }
  });
});
