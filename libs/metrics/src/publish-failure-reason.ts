/** The `reason` label of `outbox_publish_failures_total`: a small fixed set, from the publisher's error codes. */
export type PublishFailureReason = 'nack' | 'return' | 'timeout' | 'closed' | 'other';

const BY_CODE: Record<string, PublishFailureReason> = {
  NACKED: 'nack',
  RETURNED: 'return',
  CONFIRM_TIMEOUT: 'timeout',
  CHANNEL_CLOSED: 'closed',
  NOT_CONNECTED: 'closed',
};

export function publishFailureReason(error: unknown): PublishFailureReason {
  const code = (error as { code?: unknown } | null)?.code;
  return (typeof code === 'string' && BY_CODE[code]) || 'other';
}
