/**
 * @reliable-payments/faults — test-only fault points, one mechanism: FAULT_HOOKS, injected, a no-op unless
 * TEST_CRASH_AT arms it (SIGKILL the process, or throw, at a named point). Production code calls
 * `faults.at(point)` and never knows whether anything is armed.
 */
export * from './fault-hooks';
export * from './faults.module';
