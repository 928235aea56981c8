import { BrokerEndpoints, parseBrokerUrls } from './broker-endpoints';

const SECRET = 'Sup3rS3cret';

describe('parseBrokerUrls', () => {
  it('parses one URL with defaults for port, credentials and vhost', () => {
    expect(parseBrokerUrls('amqp://rabbit')).toEqual([
      { protocol: 'amqp', hostname: 'rabbit', port: 5672, username: 'guest', password: 'guest', vhost: '/', heartbeat: undefined, label: 'rabbit:5672' },
    ]);
  });

  it('parses a comma-separated list in order, with spaces, credentials, vhost, amqps and heartbeat', () => {
    const endpoints = parseBrokerUrls(`amqp://app:${SECRET}@r1:5673/prod%2Fa?heartbeat=10 , amqps://app:p%40ss@r2`);
    expect(endpoints.map((e) => e.label)).toEqual(['r1:5673', 'r2:5671']);
    expect(endpoints[0]).toMatchObject({ username: 'app', password: SECRET, vhost: 'prod%2Fa', heartbeat: 10 });
    expect(endpoints[1]).toMatchObject({ protocol: 'amqps', password: 'p@ss', vhost: '/' });
  });

  it('never puts credentials in the label', () => {
    for (const e of parseBrokerUrls(`amqp://app:${SECRET}@r1:5672,amqp://${SECRET}@r2:5672`)) {
      expect(e.label).not.toContain(SECRET);
    }
  });

  it.each([
    ['an empty entry', `amqp://app:${SECRET}@r1,,amqp://r2`],
    ['a trailing comma', `amqp://app:${SECRET}@r1,`],
    ['another protocol', `http://app:${SECRET}@r1`],
    ['text that is no URL', `${SECRET}`],
    ['a bad heartbeat', `amqp://app:${SECRET}@r1?heartbeat=-1`],
  ])('rejects %s without quoting it', (_, text) => {
    let message = '';
    try {
      parseBrokerUrls(text);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).not.toBe('');
    expect(message).not.toContain(SECRET);
  });
});

describe('BrokerEndpoints', () => {
  it('starts on the first node and moves round the list on each advance', () => {
    const endpoints = BrokerEndpoints.parse('amqp://a:1,amqp://b:2,amqp://c:3');
    expect(endpoints.current.label).toBe('a:1');
    expect([endpoints.advance(), endpoints.advance(), endpoints.advance(), endpoints.advance()].map((e) => e.label)).toEqual(['b:2', 'c:3', 'a:1', 'b:2']);
  });

  it('stays on the only node of a one-URL list', () => {
    const endpoints = BrokerEndpoints.parse('amqp://a:1');
    expect(endpoints.advance().label).toBe('a:1');
  });

  it('gives amqplib connect options that follow the current node', () => {
    const endpoints = BrokerEndpoints.parse(`amqp://u1:${SECRET}@a:1/v1?heartbeat=5,amqp://u2:p2@b:2`);
    const options = endpoints.connectOptions();
    expect({ ...options }).toEqual({ protocol: 'amqp', hostname: 'a', port: 1, username: 'u1', password: SECRET, vhost: 'v1', heartbeat: 5 });
    endpoints.advance();
    expect({ ...options }).toEqual({ protocol: 'amqp', hostname: 'b', port: 2, username: 'u2', password: 'p2', vhost: '/', heartbeat: undefined });
  });
});
