import { connect } from 'amqplib';
import { randomBytes } from 'node:crypto';
import { brokerFacts, queueOptionsFor } from './broker-arguments';
import { buildTopology } from './topology';

const URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/**
 * On the test broker (3.10 or 4.0, see docs/containers.md, "Support matrix"): a letter the DLQ's handler keeps
 * requeueing (it cannot store it yet) stays in a quorum DLQ however often it comes back. Without
 * `queueOptionsFor`, RabbitMQ 4.0 drops it after its 21st delivery.
 */
describe('a quorum dead-letter queue on the test broker', () => {
  const queue = `t${randomBytes(4).toString('hex')}.broker-arguments`;
  const topology = buildTopology([{ queue, exchange: `${queue}.exchange`, routingKeys: ['payment.succeeded'], retryLadderMs: [1_000], queueType: 'quorum' }]);

  it('keeps a letter requeued 30 times', async () => {
    const model = await connect(URL);
    model.on('error', () => undefined);
    const channel = await model.createChannel();
    channel.on('error', () => undefined);
    try {
      const broker = brokerFacts(model.connection.serverProperties);
      const dlq = topology.routes.get(queue)?.deadLetterQueue ?? '';
      const spec = topology.queues.find((q) => q.name === dlq);
      await channel.assertQueue(dlq, queueOptionsFor(spec?.options ?? {}, broker));
      channel.sendToQueue(dlq, Buffer.from('{"held":true}'), { persistent: true, messageId: 'held-letter' });
      let deliveries = 0;
      for (let i = 0; i < 30; i++) {
        const message = await getWithin(() => channel.get(dlq, { noAck: false }), 2_000);
        if (!message) break;
        deliveries++;
        channel.nack(message, false, true);
      }
      const last = await getWithin(() => channel.get(dlq, { noAck: false }), 2_000);
      expect({ deliveries, stillThere: last ? last.properties.messageId : null }).toEqual({ deliveries: 30, stillThere: 'held-letter' });
      if (last) channel.ack(last);
    } finally {
      for (const q of topology.queues) await channel.deleteQueue(q.name).catch(() => undefined);
      await model.close().catch(() => undefined);
    }
  });
});

/** `basic.get` until it gives a message or the time is up (a requeued message comes back after a moment). */
async function getWithin<T>(get: () => Promise<T | false>, ms: number): Promise<T | false> {
  const deadline = Date.now() + ms;
  for (;;) {
    const message = await get();
    if (message || Date.now() > deadline) return message;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
