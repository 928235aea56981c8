import { Logger } from '@nestjs/common';
import { ServiceLogger } from './service-logger';

/** Captures what the logger writes to stdout and stderr, one entry per line. */
function capture(): { lines: string[]; restore: () => void } {
  const lines: string[] = [];
  const spies = [process.stdout, process.stderr].map((stream) =>
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      return true;
    }),
  );
  return { lines, restore: () => spies.forEach((s) => s.mockRestore()) };
}

describe('ServiceLogger', () => {
  it('writes one JSON object per line with level, time, msg, service, context and the message fields', () => {
    const out = capture();
    try {
      const logger = new ServiceLogger({ service: 'coupon-service', format: 'json' });
      logger.warn('message m-1 failed; retry level 1', { messageId: 'm-1', orderId: 'o-1', queue: 'coupon.q', attempt: 2 }, 'Consumer:coupon');
      logger.log('plain line', 'Http');
    } finally {
      out.restore();
    }
    expect(out.lines).toHaveLength(2);
    const [warn, plain] = out.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(warn).toEqual({
      level: 'warn',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      msg: 'message m-1 failed; retry level 1',
      service: 'coupon-service',
      context: 'Consumer:coupon',
      messageId: 'm-1',
      orderId: 'o-1',
      queue: 'coupon.q',
      attempt: 2,
    });
    expect(plain).toMatchObject({ level: 'log', msg: 'plain line', service: 'coupon-service', context: 'Http' });
  });

  it('masks secrets given as fields, and keeps the structured fields when routed through a Nest Logger', () => {
    const out = capture();
    try {
      Logger.overrideLogger(new ServiceLogger({ service: 'order-service', format: 'json' }));
      new Logger('Operator').log('operator call', { authorization: 'Bearer 0123456789abcdef', password: 'hunter2', route: '/dead-letters' });
    } finally {
      Logger.overrideLogger(false);
      out.restore();
    }
    const record = JSON.parse(out.lines[0]) as Record<string, unknown>;
    expect(record).toMatchObject({ msg: 'operator call', context: 'Operator', route: '/dead-letters', authorization: '[REDACTED]', password: '[REDACTED]' });
    expect(out.lines[0]).not.toContain('0123456789abcdef');
    expect(out.lines[0]).not.toContain('hunter2');
  });

  it('writes Nest text lines, with the fields appended, when the format is pretty', () => {
    const out = capture();
    try {
      new ServiceLogger({ service: 'order-service', format: 'pretty' }).warn('text line', { messageId: 'm-2' }, 'Relay');
    } finally {
      out.restore();
    }
    expect(out.lines[0]).toContain('text line');
    // eslint-disable-next-line no-control-regex
    const text = out.lines[0].replace(/\x1b\[[\d;]*m/g, '');
    expect(text).toContain("WARN [Relay] text line { messageId: 'm-2' }");
    expect(() => JSON.parse(out.lines[0])).toThrow();
  });
});
