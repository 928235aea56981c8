import { ServiceLogger } from '@reliable-payments/http';
import { RawPublisher } from './support/raw-publisher';
import { TestSystem } from './support/test-system';
import { waitFor } from './support/wait-for';

/** LOG_FORMAT=json: a line about a message names it, in one JSON object, with no secret. */
describe('JSON logs', () => {
  const system = new TestSystem();
  const lines: string[] = [];
  let restore: () => void;

  beforeAll(() => {
    const spies = [process.stdout, process.stderr].map((stream) =>
      jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        return true;
      }),
    );
    restore = () => spies.forEach((s) => s.mockRestore());
  });
  afterAll(async () => {
    restore();
    await system.cleanup();
  });

  it('logs a dead-lettered message as a JSON line with its id, queue, attempt and the service', async () => {
    const coupon = await system.start(
      'coupon',
      {},
      new ServiceLogger({ service: 'coupon-service', format: 'json', logLevels: ['fatal', 'error', 'warn', 'log'] }),
    );
    const publisher = await new RawPublisher().open();
    try {
      await publisher.publish(`${system.prefix}payments.events`, 'payment.succeeded', '{"not":"an event"}', {
        contentType: 'application/json',
        messageId: 'json-log-poison-1',
      });
    } finally {
      await publisher.close();
    }
    const line = await waitFor(() => lines.find((l) => l.includes('json-log-poison-1') && l.includes('dead-lettered')), {
      timeoutMs: 30_000,
      message: 'the dead-letter line',
    });
    const record = JSON.parse(line) as Record<string, unknown>;
    expect(record).toMatchObject({
      level: 'error',
      msg: expect.stringContaining('dead-lettered (permanent'),
      service: 'coupon-service',
      context: 'Consumer:coupon-service',
      messageId: 'json-log-poison-1',
      queue: system.queue('coupon'),
      attempt: 1,
    });
    expect(Date.parse(record.time as string)).toBeGreaterThan(Date.now() - 60_000);
    // Every line the service wrote is one JSON object, and none carries the broker's credentials.
    const own = lines.filter((l) => l.includes('"service":"coupon-service"'));
    expect(own.length).toBeGreaterThan(3);
    for (const l of own) expect(() => JSON.parse(l)).not.toThrow();
    expect(own.join('\n')).not.toContain('guest:guest');
    await coupon.stop();
  });
});
