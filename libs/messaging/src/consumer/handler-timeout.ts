import { TransientError } from '@reliable-payments/errors';

/**
 * Bounds a handler: past `limitMs` the delivery counts as a transient, dependency-down failure
 * (a hung database). If the abandoned handler still commits later, the copy moved to the retry
 * ladder is absorbed as a duplicate by the handler's idempotency.
 */
export async function withHandlerTimeout<R>(work: Promise<R>, limitMs: number | undefined): Promise<R> {
  if (!limitMs) return work;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new TransientError('HANDLER_TIMEOUT', `handler still running after ${limitMs}ms`, { dependencyDown: true })), limitMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    work.catch(() => undefined); // a late failure of an abandoned handler is not unhandled
  }
}
