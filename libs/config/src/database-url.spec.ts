import { parseDatabaseUrl, redactUrl } from './database-url';

describe('parseDatabaseUrl', () => {
  it('reads every part of a full URL', () => {
    expect(parseDatabaseUrl('mysql://app:Sup3rS3cret@db.internal:3307/order_service')).toEqual({
      host: 'db.internal',
      port: 3307,
      user: 'app',
      password: 'Sup3rS3cret',
      database: 'order_service',
      redacted: 'mysql://app:***@db.internal:3307/order_service',
    });
  });

  it('defaults to port 3306, user root and an empty password', () => {
    expect(parseDatabaseUrl('mysql://127.0.0.1/coupon_service')).toMatchObject({
      host: '127.0.0.1',
      port: 3306,
      user: 'root',
      password: '',
      database: 'coupon_service',
    });
  });

  it('decodes a percent-encoded user and password', () => {
    expect(parseDatabaseUrl('mysql://app%2Bro:p%40ss%3Aword@db/orders')).toMatchObject({ user: 'app+ro', password: 'p@ss:word' });
  });

  it('strips the brackets of an IPv6 host', () => {
    expect(parseDatabaseUrl('mysql://app:pw@[::1]:3306/orders').host).toBe('::1');
  });

  it.each([['mysql://app:Sup3rS3cret@db:3306/orders'], ['mysql://app:p%40Sup3rS3cret@db/orders'], ['mysql://:Sup3rS3cret@db/orders']])(
    'never puts the password of %s in the redacted form',
    (text) => {
      const { redacted } = parseDatabaseUrl(text);

      expect(redacted).not.toContain('Sup3rS3cret');
      expect(redacted).toContain(':***@db');
    },
  );

  it.each([
    ['not a url', 'must be a URL like mysql://user:password@host:3306/database'],
    ['mysql://app:pw@db:99999/orders', 'must be a URL like mysql://user:password@host:3306/database'],
    ['postgres://app:pw@db/orders', 'must use the mysql:// scheme'],
    ['mysql://app:pw@db/', 'must name a database of letters, digits and "_" (at most 64)'],
    ['mysql://app:pw@db/order-service', 'must name a database of letters, digits and "_" (at most 64)'],
    [`mysql://app:pw@db/${'d'.repeat(65)}`, 'must name a database of letters, digits and "_" (at most 64)'],
  ])('rejects %s', (text, message) => {
    expect(() => parseDatabaseUrl(text)).toThrow(message);
  });
});

describe('redactUrl', () => {
  it('masks the password of an AMQP URL', () => {
    expect(redactUrl('amqp://guest:Sup3rS3cret@rabbit:5672/vhost')).toBe('amqp://guest:***@rabbit:5672/vhost');
  });

  it('leaves a URL without password as it is', () => {
    expect(redactUrl('amqp://rabbit:5672')).toBe('amqp://rabbit:5672');
  });

  it('never echoes a text it cannot parse', () => {
    expect(redactUrl('Sup3rS3cret not a url')).toBe('<unparseable url>');
  });
});
