import { ChannelModel, connect } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { RowDataPacket } from 'mysql2/promise';
import { FaultProxy } from '@reliable-payments/chaos';
import { PAYMENT_EVENTS_EXCHANGE } from '@reliable-payments/contracts';
import { MessagingService } from '@reliable-payments/messaging';
import { TestSystem } from './support/test-system';
import { waitFor } from './support/wait-for';
import { testAmqpEndpoint, testAmqpUrl, testAmqpUrlVia } from '../tools/harness/test-servers';

const AMQP_URL = testAmqpUrl();
/** Rows in one relay batch, and their size: 16 MB, far more than the kernel's socket buffers (~4 MB here) and the channel's 1,024-frame write buffer hold. */
const ROWS = 2_000;
const PAYLOAD_BYTES = 8 * 1024;

/**
 * A relay batch larger than the write buffer, on a connection that stops moving (the broker end
 * hangs): later publishes wait for the buffer to drain. Then the connection dies. A closed channel
 * never drains, so those publishes must be failed by the close, or the batch, its claim
 * transaction and its row locks wait for ever.
 */
describe('the publisher channel closes while a relay batch waits for room in the write buffer', () => {
  const system = new TestSystem();
  const proxy = new FaultProxy(testAmqpEndpoint());
  const watchQueue = `${system.prefix}watch.payment-succeeded`;
  let model: ChannelModel | undefined;
  beforeAll(() => proxy.start());
  afterAll(async () => {
    await system.cleanup();
    await proxy.stop();
    if (!model) return;
    const channel = await model.createChannel();
    await channel.deleteQueue(watchQueue);
    await model.close();
  });

  it('settles the batch, keeps every row pending with its error, then sends each once after reconnect', async () => {
    const order = await system.start('order', {
      RABBITMQ_URL: testAmqpUrlVia({ host: '127.0.0.1', port: proxy.port }),
      OUTBOX_BATCH_SIZE: String(ROWS),
      OUTBOX_RELAY_CONCURRENCY: '1',
      // Far beyond the test's deadlines: only the channel's close can settle the batch in time.
      AMQP_CONFIRM_TIMEOUT: '10m',
    });
    const publisher = (order.app.get(MessagingService) as MessagingService).publisher;

    // A queue of the test's own, on a direct connection, sees what reaches the broker.
    model = await connect(AMQP_URL);
    const watch = await model.createChannel();
    await watch.assertQueue(watchQueue, { durable: false });
    await watch.bindQueue(watchQueue, `${system.prefix}${PAYMENT_EVENTS_EXCHANGE}`, '#');

    proxy.setMode('hang'); // the broker end stops reading: the socket, then the channel's buffer fill up
    const ids = await insertBacklog(system);

    // The whole batch was handed to the publisher in one turn (so written + waiting = ROWS); it
    // stops growing below ROWS once the buffers are full and the rest wait for a drain.
    let previous = -1;
    await waitFor(
      () => {
        const inFlight = publisher.inFlight;
        const stable = inFlight > 0 && inFlight < ROWS && inFlight === previous;
        previous = inFlight;
        return stable;
      },
      { timeoutMs: 30_000, intervalMs: 1_000, message: 'part of the batch written, the rest waiting for room' },
    );

    proxy.setMode('down'); // the connection is reset under them: the channel closes, and never drains
    await waitFor(async () => (await system.count('order', 'outbox_messages', 'sent_at IS NULL AND attempts = 1 AND last_error IS NOT NULL')) === ROWS, {
      timeoutMs: 20_000,
      message: `all ${ROWS} rows of the batch recorded as failed (the batch settled)`,
    });
    const errors = await system.query<RowDataPacket & { last_error: string; n: number }>(
      'order',
      'SELECT last_error, COUNT(*) AS n FROM outbox_messages GROUP BY last_error',
    );
    expect(errors.find((e) => e.last_error.includes('waiting for room in its write buffer'))).toBeDefined();
    // The rest were written and lost their confirms with the channel (amqplib fails those callbacks).
    expect(errors.every((e) => e.last_error.includes('channel closed'))).toBe(true);

    proxy.setMode('up');
    await waitFor(async () => (await system.count('order', 'outbox_messages', 'sent_at IS NULL')) === 0, {
      timeoutMs: 60_000,
      message: 'every row sent after reconnect',
    });

    // Nothing reached the broker while it hung, so each row arrives exactly once.
    const received: string[] = [];
    await watch.prefetch(500);
    const { consumerTag } = await watch.consume(watchQueue, (message) => {
      if (!message) return;
      received.push(String(message.properties.messageId));
      watch.ack(message);
    });
    await waitFor(() => received.length >= ROWS, { timeoutMs: 30_000, message: `${ROWS} messages in the watch queue` });
    await watch.cancel(consumerTag);
    expect((await watch.checkQueue(watchQueue)).messageCount).toBe(0);
    expect(received).toHaveLength(ROWS);
    expect(new Set(received)).toEqual(new Set(ids));
  });
});

/**
 * ROWS outbox rows of PAYLOAD_BYTES each, made due in one statement so that one claim takes them
 * all (inserted in chunks: a single INSERT would pass max_allowed_packet).
 */
async function insertBacklog(system: TestSystem): Promise<string[]> {
  const ids = Array.from({ length: ROWS }, () => randomUUID());
  const later = new Date(Date.now() + 24 * 3600_000);
  const padding = 'x'.repeat(PAYLOAD_BYTES);
  for (let i = 0; i < ROWS; i += 200) {
    const rows = ids
      .slice(i, i + 200)
      .map((id) => [id, PAYMENT_EVENTS_EXCHANGE, 'payment.succeeded', 'payment.succeeded', JSON.stringify({ eventId: id, padding }), new Date(), 0, later]);
    await system.query(
      'order',
      'INSERT INTO outbox_messages (message_id, exchange, routing_key, message_type, payload, created_at, attempts, next_attempt_at) VALUES ?',
      [rows],
    );
  }
  await system.query('order', 'UPDATE outbox_messages SET next_attempt_at = ? WHERE sent_at IS NULL', [new Date(Date.now() - 1_000)]);
  return ids;
}
