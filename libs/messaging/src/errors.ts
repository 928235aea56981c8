// The failure taxonomy lives in @app/errors (shared with persistence and http without a cycle);
// messaging re-exports it, because handlers throw these and classifiers return them.
export * from '@app/errors';
