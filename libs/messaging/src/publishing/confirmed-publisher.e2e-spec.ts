import { connect } from 'amqplib';
import { randomBytes } from 'node:crypto';
import { AmqpConnection } from '../connection/amqp-connection';
import { ConfirmedPublisher } from './confirmed-publisher';
import { PublishError } from '@reliable-payments/errors';
import { waitFor } from '../../../../test/support/wait-for';

const URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** The publisher against the real broker: what "resolved" and "rejected" mean. */
describe('ConfirmedPublisher', () => {
  const run = `t${randomBytes(4).toString('hex')}`;
  const exchange = `${run}.events`;
  const queue = `${run}.bound`;
  const connection = new AmqpConnection({ url: URL, connectionName: `publisher-test ${run}` });
  const publisher: ConfirmedPublisher = new ConfirmedPublisher(5_000, (model) => publisher.attach(model));

  beforeAll(async () => {
    connection.onConnect(async (model) => {
      const channel = await model.createChannel();
      await channel.assertExchange(exchange, 'topic', { durable: false, autoDelete: false });
      await channel.assertQueue(queue, { durable: false });
      await channel.bindQueue(queue, exchange, 'routed');
      await channel.close();
    });
    connection.onConnect(publisher.attach);
    await connection.start();
    expect(await connection.waitUntilConnected(5_000)).toBe(true);
  });

  afterAll(async () => {
    publisher.stop();
    const model = await connect(URL);
    const channel = await model.createChannel();
    await channel.deleteQueue(queue);
    await channel.deleteExchange(exchange);
    await model.close();
    await connection.close();
  });

  it('resolves once the broker confirmed a routed message', async () => {
    await expect(publisher.publish(exchange, 'routed', Buffer.from('{}'), { messageId: 'm1' })).resolves.toBeUndefined();
  });

  it('rejects an unroutable message as RETURNED even though the broker acks it', async () => {
    const error = await publisher.publish(exchange, 'nobody-listens', Buffer.from('{}'), { messageId: 'm2' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PublishError);
    expect((error as PublishError).code).toBe('RETURNED');
  });

  it('tells a return from the routed publishes around it', async () => {
    const results = await Promise.allSettled(
      ['routed', 'nowhere', 'routed', 'nowhere', 'routed'].map((key, i) =>
        publisher.publish(exchange, key, Buffer.from('{}'), { messageId: `same-id-${i % 2}` }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
  });

  it('matches returns by messageId, so a message with one goes out without the publish-id header (and a stale one is dropped)', async () => {
    const results = await Promise.allSettled([
      publisher.publish(exchange, 'routed', Buffer.from('{"n":1}'), { messageId: 'by-id-routed', headers: { 'publish-id': 'stale.1', kept: 'yes' } }),
      publisher.publish(exchange, 'nowhere', Buffer.from('{"n":2}'), { messageId: 'by-id-returned', headers: { 'publish-id': 'stale.2' } }),
      publisher.publish(exchange, 'routed', Buffer.from('{"n":3}')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(((results[1] as PromiseRejectedResult).reason as PublishError).code).toBe('RETURNED');

    const model = await connect(URL);
    try {
      const channel = await model.createChannel();
      const received: Array<{ messageId: unknown; headers: unknown }> = [];
      await waitFor(async () => {
        const message = await channel.get(queue);
        if (message) {
          received.push({ messageId: message.properties.messageId, headers: message.properties.headers });
          channel.ack(message);
        }
        return received.some((m) => m.messageId === 'by-id-routed') && received.some((m) => m.messageId === undefined);
      });
      expect(received.find((m) => m.messageId === 'by-id-routed')?.headers).toEqual({ kept: 'yes' });
      expect(received.find((m) => m.messageId === undefined)?.headers).toEqual({ 'publish-id': expect.any(String) });
    } finally {
      await model.close();
    }
  });

  it('rejects when the channel dies, then reopens it on the live connection', async () => {
    const error = await publisher.publish(`${run}.missing-exchange`, 'x', Buffer.from('{}')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PublishError);
    expect(['CHANNEL_CLOSED', 'NACKED']).toContain((error as PublishError).code);
    await waitFor(() => publisher.isReady, { timeoutMs: 5_000, message: 'publisher channel reopened' });
    await expect(publisher.publish(exchange, 'routed', Buffer.from('{}'))).resolves.toBeUndefined();
  });
});
