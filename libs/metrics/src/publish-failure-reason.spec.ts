import { PublishError } from '@reliable-payments/messaging';
import { publishFailureReason } from './publish-failure-reason';

describe('publishFailureReason', () => {
  it.each([
    ['NACKED', 'nack'],
    ['RETURNED', 'return'],
    ['CONFIRM_TIMEOUT', 'timeout'],
    ['CHANNEL_CLOSED', 'closed'],
    ['NOT_CONNECTED', 'closed'],
  ] as const)('maps the publisher error %s to %s', (code, reason) => {
    expect(publishFailureReason(new PublishError(code, 'x'))).toBe(reason);
  });

  it('maps anything else to "other", keeping the label set bounded', () => {
    expect(publishFailureReason(new Error('boom'))).toBe('other');
    expect(publishFailureReason(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe('other');
    expect(publishFailureReason(undefined)).toBe('other');
  });
});
