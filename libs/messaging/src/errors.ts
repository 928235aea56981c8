// The failure taxonomy lives in @reliable-payments/errors (shared with persistence and http without a cycle);
// messaging re-exports it, because handlers throw these and classifiers return them.
export * from '@reliable-payments/errors';
