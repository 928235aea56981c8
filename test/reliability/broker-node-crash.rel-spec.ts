import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RabbitNode } from '../../tools/cluster/rabbit-node';
import { freePort } from '../../tools/process/service-process';
import { hold } from './harness/hold';
import { ReliabilitySystem } from './harness/reliability-system';

/**
 * Scenario 2c: a crash of the broker itself. A RabbitMQ node of the scenario's own (own node name,
 * ports and data directory; the machine's broker is not touched) is SIGKILLed under load with
 * durable classic queues and persistent messages, and started again on the same data.
 */
describe('reliability: broker node crash', () => {
  it('a dedicated RabbitMQ node SIGKILLed under load (classic queues), restarted on its data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reliability-rabbit-'));
    const node = new RabbitNode({ name: `rel${process.pid}@localhost`, amqpPort: await freePort(), distPort: await freePort(), dir });
    const system = new ReliabilitySystem({ scenario: '2c-rabbitmq-node-sigkill', amqpUrl: node.url, env: { AMQP_QUEUE_TYPE: 'classic' } });
    try {
      await node.start();
      await system.start();
      await system.load(300, {
        fault: async () => {
          await node.kill();
          await hold(3_000);
          await node.start();
          system.healed();
        },
      });
      expect((await system.check()).violations).toEqual([]);
    } finally {
      await system.cleanup();
      await node.kill().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
