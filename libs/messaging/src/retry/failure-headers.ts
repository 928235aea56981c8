import { MessagePropertyHeaders } from 'amqplib';
import { Classification } from '@reliable-payments/errors';
import { PUBLISH_ID_HEADER } from '../publishing/confirmed-publisher';
import { appendAttempt, ATTEMPT_HISTORY_HEADER } from './attempt-history';

/**
 * The project's own failure headers. The broker owns `x-` headers from RabbitMQ 3.13/4.0 on and
 * ignores an `x-death` a client publishes, so the attempt count travels here instead. All values
 * are short: a header table is capped at 64 KiB and must not carry stack traces.
 */
export const FailureHeaders = {
  attempts: 'retry-attempts',
  firstFailedAt: 'first-failed-at',
  lastFailedAt: 'last-failed-at',
  errorCode: 'last-error-code',
  errorClass: 'last-error-class',
  errorMessage: 'last-error',
  originalQueue: 'original-queue',
  deadLetterReason: 'dead-letter-reason',
  /** Unique per dead-lettering, so the DLQ handler stores a redelivered dead letter once. */
  deadLetterId: 'dead-letter-id',
  /** Set on a re-driven message: the dead letter it came from. */
  redrivenFrom: 'redriven-from',
} as const;

export const MAX_ERROR_MESSAGE_LENGTH = 300;

export type DeadLetterReason = 'permanent' | 'retries-exhausted';

/** Failures recorded so far; 0 for a fresh message. Malformed values count as 0 rather than crash. */
export function attemptsOf(headers: MessagePropertyHeaders | undefined): number {
  const raw = headers?.[FailureHeaders.attempts];
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d{1,9}$/.test(raw) ? Number(raw) : 0;
  return Number.isSafeInteger(value) && value >= 0 ? value : 0;
}

export function truncate(text: string, max = MAX_ERROR_MESSAGE_LENGTH): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}

/** Headers for a message leaving `queue` after its `attempts`-th failure. */
export function failureHeaders(
  previous: MessagePropertyHeaders | undefined,
  failure: Classification,
  attempts: number,
  queue: string,
  now: Date,
  deadLetterReason?: DeadLetterReason,
): MessagePropertyHeaders {
  const headers: MessagePropertyHeaders = { ...previous };
  delete headers[PUBLISH_ID_HEADER];
  for (const key of Object.keys(headers)) if (key.startsWith('x-')) delete headers[key];
  // A first failure has no past of ours: what a publisher put in the failure headers is dropped,
  // so neither a forged first-failure time nor a forged history travels on (issue 20, finding 2).
  const recorded = attempts > 1 ? previous : undefined;
  const firstFailedAt = typeof recorded?.[FailureHeaders.firstFailedAt] === 'string' ? recorded[FailureHeaders.firstFailedAt] : now.toISOString();
  Object.assign(headers, {
    [FailureHeaders.attempts]: attempts,
    [FailureHeaders.firstFailedAt]: firstFailedAt,
    [FailureHeaders.lastFailedAt]: now.toISOString(),
    [FailureHeaders.errorCode]: truncate(failure.code, 64),
    [FailureHeaders.errorClass]: failure.kind,
    [FailureHeaders.errorMessage]: truncate(failure.message),
    [FailureHeaders.originalQueue]: queue,
    // Bounded: the last few failures travel with the message so its grant or dead letter can tell them.
    [ATTEMPT_HISTORY_HEADER]: appendAttempt(recorded, { attempt: attempts, at: now.toISOString(), code: failure.code }),
  });
  if (deadLetterReason) headers[FailureHeaders.deadLetterReason] = deadLetterReason;
  else delete headers[FailureHeaders.deadLetterReason];
  delete headers[FailureHeaders.deadLetterId];
  return headers;
}

/** Headers for a re-driven message: the failure history is dropped, so the attempt count starts again at 0. */
export function redriveHeaders(previous: MessagePropertyHeaders | undefined, deadLetterId: string): MessagePropertyHeaders {
  const headers: MessagePropertyHeaders = { ...previous };
  for (const key of Object.keys(headers)) if (key.startsWith('x-')) delete headers[key];
  for (const key of Object.values(FailureHeaders)) delete headers[key];
  delete headers[PUBLISH_ID_HEADER];
  headers[FailureHeaders.redrivenFrom] = deadLetterId;
  return headers;
}
