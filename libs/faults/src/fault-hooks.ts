/**
 * Test-only fault points, injected (FAULT_HOOKS) and a no-op unless armed with TEST_CRASH_AT.
 * The reliability suite arms one to stop a service at a precise moment: after the broker confirmed
 * a relay batch but before the rows are marked sent, inside a consumer's transaction before its
 * commit, after the commit but before the ack.
 */
export const FAULT_POINTS = ['relay-after-confirm', 'consumer-before-commit', 'consumer-after-commit'] as const;
export type FaultPoint = (typeof FAULT_POINTS)[number];

/**
 * `kill`: SIGKILL the process the n-th time it passes the point (a real crash: nothing after it
 * runs, not even a rollback). `throw`: from the n-th time on, throw SimulatedCrash there (the
 * caller's work is abandoned as a crash would abandon it, but the process lives: in-process tests).
 */
export interface FaultSpec {
  point: FaultPoint;
  after: number;
  mode: 'kill' | 'throw';
}

export const FAULT_HOOKS = Symbol('FAULT_HOOKS');

/** Called at each fault point; does nothing unless armed. */
export interface FaultHooks {
  at(point: FaultPoint): void;
}

export const NO_FAULTS: FaultHooks = { at: () => undefined };

/** Thrown at an armed fault point in `throw` mode. */
export class SimulatedCrash extends Error {
  readonly code = 'SIMULATED_CRASH';
  constructor(readonly point: FaultPoint) {
    super(`simulated crash at ${point} (TEST_CRASH_AT)`);
    this.name = 'SimulatedCrash';
  }
}

/** The hooks for `spec` (none: the no-op). */
export function faultHooks(spec: FaultSpec | undefined, kill: () => void = () => process.kill(process.pid, 'SIGKILL')): FaultHooks {
  if (!spec) return NO_FAULTS;
  let passes = 0;
  return {
    at(point) {
      if (point !== spec.point) return;
      passes++;
      if (passes < spec.after) return;
      if (spec.mode === 'throw') throw new SimulatedCrash(point);
      if (passes === spec.after) {
        process.stderr.write(`TEST_CRASH_AT: crashing at ${point}\n`);
        kill();
      }
    },
  };
}

/** `<point>[:<n>][:throw]`, e.g. `relay-after-confirm:20` or `relay-after-confirm:1:throw`. */
export function parseFaultSpec(text: string): FaultSpec {
  const [point, count, mode, ...rest] = text.split(':');
  if (!(FAULT_POINTS as readonly string[]).includes(point)) throw new Error(`must be one of ${FAULT_POINTS.join(', ')}, optionally ":<n>" and ":throw"`);
  const after = count === undefined || count === '' ? 1 : Number(count);
  if (!Number.isInteger(after) || after < 1) throw new Error('the count after ":" must be a positive whole number');
  if (rest.length > 0 || (mode !== undefined && mode !== 'throw' && mode !== 'kill')) throw new Error('the mode after the count must be "kill" or "throw"');
  return { point: point as FaultPoint, after, mode: mode === 'throw' ? 'throw' : 'kill' };
}
