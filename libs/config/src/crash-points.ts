/**
 * Test-only crash points (TEST_CRASH_AT=<point>[:<n>]): on the n-th time the process passes the
 * named point it SIGKILLs itself, so the reliability suite can kill a service at a precise
 * moment (after the broker confirmed but before the outbox row is marked, before a consumer's
 * commit, after the commit but before the ack). Unset in every real deployment.
 */
export const CRASH_POINTS = ['relay-after-confirm', 'consumer-before-commit', 'consumer-after-commit'] as const;
export type CrashPointName = (typeof CRASH_POINTS)[number];

let armed: { point: CrashPointName; remaining: number } | undefined;

export function parseCrashPoint(spec: string): { point: CrashPointName; after: number } {
  const [point, count] = spec.split(':');
  if (!(CRASH_POINTS as readonly string[]).includes(point)) throw new Error(`must be one of ${CRASH_POINTS.join(', ')}, optionally ":<n>"`);
  const after = count === undefined ? 1 : Number(count);
  if (!Number.isInteger(after) || after < 1) throw new Error('the count after ":" must be a positive whole number');
  return { point: point as CrashPointName, after };
}

export function armCrashPoint(spec: { point: CrashPointName; after: number } | undefined): void {
  armed = spec ? { point: spec.point, remaining: spec.after } : undefined;
}

export function crashPoint(name: CrashPointName): void {
  if (!armed || armed.point !== name) return;
  armed.remaining -= 1;
  if (armed.remaining <= 0) {
    process.stderr.write(`TEST_CRASH_AT: crashing at ${name}\n`);
    process.kill(process.pid, 'SIGKILL');
  }
}
