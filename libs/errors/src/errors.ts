/**
 * Failure classes a handler (or the pipeline) can raise. Each carries a stable `code`,
 * because `instanceof` does not survive a trip through headers or a database row.
 */
export abstract class MessagingError extends Error {
  abstract readonly kind: 'transient' | 'permanent';
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Worth retrying later: a dependency is down, a timeout, a deadlock. Climbs the retry ladder. */
export class TransientError extends MessagingError {
  readonly kind = 'transient' as const;
  /** True when the failure says the dependency itself is unreachable (not just this message). */
  readonly dependencyDown: boolean;
  constructor(code: string, message: string, options?: { cause?: unknown; dependencyDown?: boolean }) {
    super(code, message, options);
    this.dependencyDown = options?.dependencyDown ?? false;
  }
}

/** Can never succeed however often it is retried: goes straight to the dead-letter queue. */
export class PermanentError extends MessagingError {
  readonly kind = 'permanent' as const;
}

/** The broker did not take a message: nack, `basic.return`, confirm timeout or a closed channel. */
export class PublishError extends Error {
  constructor(
    readonly code: 'NACKED' | 'RETURNED' | 'CONFIRM_TIMEOUT' | 'CHANNEL_CLOSED' | 'NOT_CONNECTED',
    message: string,
  ) {
    super(message);
    this.name = 'PublishError';
  }
}

export interface Classification {
  kind: 'transient' | 'permanent';
  code: string;
  dependencyDown: boolean;
  message: string;
}

/** Node and driver codes that mean "could not talk to the other side at all". */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'POOL_CLOSED',
]);

type ErrorClassifier = (error: unknown) => MessagingError | undefined;

/** Follows `cause` and TypeORM's `driverError` to the innermost error that has a code. */
function* causes(error: unknown): Generator<unknown> {
  let current: unknown = error;
  for (let depth = 0; current && depth < 8; depth++) {
    yield current;
    const next = (current as { driverError?: unknown; cause?: unknown }).driverError ?? (current as { cause?: unknown }).cause;
    if (next === current) return;
    current = next;
  }
}

/**
 * Decides what a failure means for the message. Explicit classes win; then an app-supplied
 * classifier (e.g. MySQL errors); then network codes (dependency down); anything else is an
 * unknown failure, treated as transient and therefore still bounded by the ladder.
 */
export function classifyError(error: unknown, extra?: ErrorClassifier): Classification {
  const explicit = error instanceof MessagingError ? error : extra?.(error);
  if (explicit) {
    return {
      kind: explicit.kind,
      code: explicit.code,
      dependencyDown: explicit instanceof TransientError && explicit.dependencyDown,
      message: explicit.message,
    };
  }
  for (const cause of causes(error)) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) {
      return { kind: 'transient', code, dependencyDown: true, message: messageOf(error) };
    }
  }
  return { kind: 'transient', code: 'UNKNOWN', dependencyDown: false, message: messageOf(error) };
}

export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
