import { RowDataPacket } from 'mysql2/promise';
import { TestSystem } from './support/test-system';
import { RawPublisher } from './support/raw-publisher';
import { waitFor } from './support/wait-for';

const LIMIT = 256 * 1024;

/**
 * Issue 20, finding 3: an oversized message was republished whole to the DLQ (and delivered
 * again to the dead-letter handler). The move carries a truncated body and the original size;
 * and the memory a consumer holds stays bounded by prefetch × limit for messages at the limit.
 * (The broker's own cap, max_message_size in deploy/rabbitmq/rabbitmq.conf, cannot be set on the
 * system broker: this is the service's side.)
 */
describe('oversized messages', () => {
  const system = new TestSystem({ MAX_MESSAGE_BYTES: String(LIMIT), COUPON_PREFETCH: '64' });
  const raw = new RawPublisher();

  beforeAll(async () => {
    await system.start('coupon');
    await raw.open();
  }, 60_000);
  afterAll(async () => {
    await raw.close();
    await system.cleanup();
  });

  const letters = (id: string) =>
    system.query<RowDataPacket & { payload: Buffer; headers: string; error_code: string }>('coupon', 'SELECT payload, headers, error_code FROM dead_letters WHERE message_id = ?', [id]);

  it('moves a 10 MB message to the DLQ truncated, with its original size, at attempt 1', async () => {
    const id = `${system.runId}-huge`;
    const size = 10 * 1024 * 1024;
    await raw.publish('', system.queue('coupon'), Buffer.alloc(size, 0x7b), { messageId: id, contentType: 'application/json' });
    const letter = await waitFor(async () => (await letters(id))[0], { timeoutMs: 20_000, message: 'the huge message was dead-lettered' });
    expect(letter.error_code).toBe('MESSAGE_TOO_LARGE');
    expect(letter.payload.length).toBeLessThanOrEqual(4096);
    const headers = JSON.parse(letter.headers) as Record<string, unknown>;
    expect(headers['original-size']).toBe(size);
    expect(headers['body-truncated']).toBe('true');
  });

  // The stated bound: 4 × prefetch × limit (64 MiB) of RSS growth in this process, which holds the
  // consumer's deliveries (≤ prefetch × limit), their DLQ copies, the dead-letter handler's
  // deliveries and SQL, and this test's own publishes. Unbounded, one 10 MB message alone is 30+ MB.
  it('keeps the RSS growth under 4 × prefetch × limit (64 MiB) for 64 messages at the limit', async () => {
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    try {
      const body = Buffer.alloc(LIMIT, 0x20);
      body[0] = 0x7b; // '{' then spaces: invalid JSON at the limit, so each one is dead-lettered whole
      for (let i = 0; i < 64; i++) await raw.publish('', system.queue('coupon'), body, { messageId: `${system.runId}-at-limit-${i}`, contentType: 'application/json' });
      await waitFor(async () => (await system.count('coupon', 'dead_letters', 'message_id LIKE ?', [`${system.runId}-at-limit-%`])) === 64, {
        timeoutMs: 30_000,
        message: '64 letters at the limit stored',
      });
    } finally {
      clearInterval(sampler);
    }
    expect(peak - before).toBeLessThan(4 * 64 * LIMIT);
  });
});
