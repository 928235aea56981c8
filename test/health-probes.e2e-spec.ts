import { http, TestSystem } from './support/test-system';

/** /health/live answers while the process runs; /health/ready says whether dependencies answer. */
describe('liveness and readiness', () => {
  const system = new TestSystem();
  afterAll(() => system.cleanup());

  it('is live and ready when the database and the broker answer, on every service', async () => {
    const { order, coupon, redPacket } = await system.startAll();
    for (const service of [order, coupon, redPacket]) {
      expect(await http(service, 'GET', '/health/live')).toMatchObject({ status: 200, body: { status: 'ok' } });
      expect(await http(service, 'GET', '/health/ready')).toEqual({
        status: 200,
        body: { status: 'ok', checks: { database: { status: 'up' }, broker: { status: 'up', node: expect.stringMatching(/^[^@]+:\d+$/), inFlight: 0 } } },
      });
    }
    await system.stopAll();
  });

  it('stays live but is not ready, naming the broker, while the broker is unreachable; /health says the same', async () => {
    // Nothing listens on port 1: the connection is refused at once and retried forever meanwhile.
    const order = await system.start('order', { RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:1' });
    expect(await http(order, 'GET', '/health/live')).toMatchObject({ status: 200, body: { status: 'ok' } });
    const ready = await http(order, 'GET', '/health/ready');
    expect(ready).toMatchObject({
      status: 503,
      body: { statusCode: 503, error: 'Service Unavailable', message: 'broker down', checks: { database: { status: 'up' }, broker: { status: 'down' } } },
    });
    expect(JSON.stringify(ready.body)).not.toContain('guest:guest');
    // A stable code, never the driver's text with the broker's host and port (issue 20, finding 10).
    expect(ready.body.checks.broker).toEqual({ status: 'down', code: 'BROKER_UNREACHABLE' });
    expect(JSON.stringify(ready.body)).not.toContain('127.0.0.1:1');
    expect(await http(order, 'GET', '/health')).toMatchObject({ status: 503, body: { message: 'broker down' } });
  });
});
