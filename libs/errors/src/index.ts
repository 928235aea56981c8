/**
 * @reliable-payments/errors — the failure taxonomy every library shares: TransientError (retry later: a
 * dependency down, a time-out, a deadlock) and PermanentError (never retry: poison), each with a
 * stable `code`, and the classifier that turns any thrown value into one of them (unknown errors
 * count as transient, so they stay bounded by the retry ladder). It imports nothing of the
 * project's, so messaging, persistence and http can all use it without a cycle.
 */
export * from './errors';
