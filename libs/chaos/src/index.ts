/**
 * @reliable-payments/chaos — real database faults on request for the demo and tests: an in-process TCP proxy (down,
 * hang, slow) and the /chaos operator routes (refused unless CHAOS_ENABLED and the operator token).
 */
export * from './fault-proxy';
export * from './chaos.options';
export * from './chaos.service';
export * from './chaos.module';
