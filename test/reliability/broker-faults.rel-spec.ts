import { CONSUMERS } from '@reliable-payments/contracts';
import { consumerQueue } from '@reliable-payments/messaging';
import { hold } from './harness/hold';
import { closeAllConnections, restartBroker, withChannel } from './harness/broker';
import { ReliabilitySystem } from './harness/reliability-system';

/** Scenarios 2 and 7: connections force-closed, the broker restarted, the binding removed. */
describe('reliability: broker faults', () => {
  it('all RabbitMQ connections force-closed three times', async () => {
    const system = new ReliabilitySystem({ scenario: '2a-rabbitmq-close-all-connections' });
    try {
      await system.start();
      await system.load(300, {
        fault: async () => {
          for (let i = 0; i < 3; i++) {
            await closeAllConnections();
            await hold(1_500);
          }
          system.healed();
        },
      });
      expect((await system.check()).violations).toEqual([]);
    } finally {
      await system.cleanup();
    }
  });

  it('RabbitMQ restarted under load', async () => {
    const system = new ReliabilitySystem({ scenario: '2b-rabbitmq-restart' });
    try {
      await system.start();
      await system.load(300, {
        fault: async () => {
          await restartBroker();
          system.healed();
        },
      });
      expect((await system.check()).violations).toEqual([]);
    } finally {
      await system.cleanup();
    }
  });

  it('bindings removed for a while: publishes come back as returns, rows stay pending, then go out', async () => {
    const system = new ReliabilitySystem({ scenario: '7-binding-removed' });
    try {
      await system.start();
      const exchange = `${system.prefix}payments.events`;
      const queues = CONSUMERS.map((consumer) => `${system.prefix}${consumerQueue(consumer)}`);
      await system.load(300, {
        fault: async () => {
          // Both bindings change while no publish is in flight: with one queue still bound, the
          // broker routes to it and acks, and `mandatory` cannot tell (see docs/guarantees.md, Limits).
          await system.withRelayHeld(() =>
            withChannel(async (channel) => {
              for (const q of queues) await channel.unbindQueue(q, exchange, 'payment.succeeded');
            }),
          );
          await hold(3_000);
          const [pending] = await system.query<any>(
            'order',
            "SELECT COUNT(*) AS n, SUM(last_error LIKE 'unroutable%') AS returned FROM outbox_messages WHERE sent_at IS NULL",
          );
          system.notes.pendingWhileUnbound = Number(pending.n);
          system.notes.returnedWhileUnbound = Number(pending.returned ?? 0);
          await system.withRelayHeld(() =>
            withChannel(async (channel) => {
              for (const q of queues) await channel.bindQueue(q, exchange, 'payment.succeeded');
            }),
          );
          system.healed();
        },
      });
      const result = await system.check();
      expect(result.violations).toEqual([]);
      expect(system.notes.pendingWhileUnbound).toBeGreaterThan(0);
      expect(system.notes.returnedWhileUnbound).toBeGreaterThan(0);
    } finally {
      await system.cleanup();
    }
  });
});
