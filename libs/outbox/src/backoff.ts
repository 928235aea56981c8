/** Delay before the next publish attempt after `attempts` failures: initial × 2^(attempts-1), capped. */
export function backoffDelay(attempts: number, initialMs: number, maxMs: number): number {
  if (attempts < 1) return 0;
  return Math.min(maxMs, initialMs * 2 ** Math.min(attempts - 1, 40));
}
