import { classifyError, TransientError } from '@reliable-payments/errors';

const DEADLOCK = 1213;
const LOCK_WAIT_TIMEOUT = 1205;
const DUPLICATE_KEY = 1062;

/**
 * The server is up but will not serve us: credentials refused or the account locked (e.g. while
 * an operator rotates them), our connection killed, the server shutting down, or out of
 * connections. Like an unreachable host, waiting is the only cure: a consumer pauses instead of
 * climbing its ladder towards the dead-letter queue, and HTTP answers 503.
 */
const REFUSED: ReadonlyMap<number, string> = new Map([
  [1040, 'too many connections'],
  [1045, 'access denied'],
  [1053, 'server shutdown in progress'],
  [1203, 'too many connections for the user'],
  [1927, 'connection killed'],
  [4151, 'account locked'],
]);

/** mysql2's pool refuses a caller past `queueLimit` with this message and no code. */
const POOL_QUEUE_FULL = 'Queue limit reached.';

function isPoolQueueFull(error: unknown): boolean {
  const driver = (error as { driverError?: unknown })?.driverError ?? error;
  return (driver as Error)?.message === POOL_QUEUE_FULL;
}

function driverErrno(error: unknown): number | undefined {
  const driver = (error as { driverError?: { errno?: unknown } })?.driverError ?? error;
  const errno = (driver as { errno?: unknown })?.errno;
  return typeof errno === 'number' ? errno : undefined;
}

function driverMessage(error: unknown): string {
  const driver = (error as { driverError?: { sqlMessage?: string; message?: string } })?.driverError;
  return driver?.sqlMessage ?? driver?.message ?? (error as Error)?.message ?? String(error);
}

/** A deadlock or lock-wait timeout: the whole transaction was (or must be) rolled back and may be retried. */
export function isRetryableTransactionError(error: unknown): boolean {
  const errno = driverErrno(error);
  return errno === DEADLOCK || errno === LOCK_WAIT_TIMEOUT;
}

export function isDuplicateKeyError(error: unknown): boolean {
  return driverErrno(error) === DUPLICATE_KEY;
}

/**
 * MySQL failures that the messaging classifier cannot know about. Connection-level errors
 * (ECONNREFUSED, PROTOCOL_CONNECTION_LOST, ...) are recognised by the messaging library itself.
 */
export function classifyMysqlError(error: unknown): TransientError | undefined {
  const errno = driverErrno(error);
  if (errno === DEADLOCK) return new TransientError('DB_DEADLOCK', driverMessage(error), { cause: error });
  if (errno === LOCK_WAIT_TIMEOUT) return new TransientError('DB_LOCK_WAIT_TIMEOUT', driverMessage(error), { cause: error });
  if (isPoolQueueFull(error)) {
    // Every connection busy and the wait queue full: the database is not keeping up (or hangs).
    return new TransientError('DB_POOL_QUEUE_FULL', 'every database connection is busy and the wait queue is full', { cause: error, dependencyDown: true });
  }
  if (errno !== undefined && REFUSED.has(errno)) {
    return new TransientError('DB_UNAVAILABLE', `${REFUSED.get(errno)}: ${driverMessage(error)}`, { cause: error, dependencyDown: true });
  }
  return undefined;
}

/** The database cannot serve anyone right now (unreachable, refusing us): every statement would fail alike. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const failure = classifyError(error, classifyMysqlError);
  return failure.kind === 'transient' && failure.dependencyDown;
}
