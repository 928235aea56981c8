import { createServer, Server } from 'node:net';
import { AmqpConnection } from './amqp-connection';
import { parseBrokerUrls } from './broker-endpoints';

const URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** A port that accepts TCP and closes it at once: a "node" that is there but never speaks AMQP. */
async function closingPort(): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

/** A node list against the real broker: the first node that answers is used, and /health can name it. */
describe('AmqpConnection with several broker URLs', () => {
  it('skips nodes that do not answer and names the node in use, without credentials', async () => {
    const dead = await closingPort();
    const live = parseBrokerUrls(URL)[0];
    const connection = new AmqpConnection({ url: `amqp://guest:guest@127.0.0.1:${dead.port},${URL}`, connectionName: 'node-list test' });
    let hookRanOn: string | undefined;
    connection.onConnect(async (model) => {
      // The topology hook runs on the node the connection lands on.
      const channel = await model.createChannel();
      await channel.checkExchange('amq.topic');
      await channel.close();
      hookRanOn = connection.status.node ?? 'connected';
    });
    try {
      await connection.start();
      expect(await connection.waitUntilConnected(20_000)).toBe(true);
      expect(connection.status).toMatchObject({ connected: true, node: live.label, nodes: 2 });
      expect(hookRanOn).toBeDefined();
      expect(JSON.stringify(connection.status)).not.toContain(live.password === 'guest' ? ':guest@' : live.password);
    } finally {
      await connection.close();
      dead.server.close();
    }
  }, 30_000);
});
