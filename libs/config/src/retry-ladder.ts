/** What a retry ladder may hold: each delay one delay queue's `x-message-ttl`. */
export const RETRY_LADDER_LIMITS = { minDelayMs: 100, maxDelayMs: 86_400_000, maxLevels: 32 } as const;

/**
 * The one check of a retry ladder, wherever it comes from: RETRY_LADDER (`parseLadder`), a
 * `retryPolicy([...])` in code, or a consumer declaration reaching `buildTopology`. Each delay
 * is whole milliseconds between 100 ms and 24 h, at most 32 levels; an empty ladder (no retries:
 * straight to the dead-letter queue) is valid here, and refused only where a variable must list
 * one. Returns a copy, so a caller's array changed later cannot change the policy.
 */
export function checkRetryLadder(levelsMs: readonly number[]): number[] {
  const { minDelayMs, maxDelayMs, maxLevels } = RETRY_LADDER_LIMITS;
  if (levelsMs.length > maxLevels) throw new Error(`may list at most ${maxLevels} delays`);
  for (const ms of levelsMs) {
    if (!Number.isSafeInteger(ms)) throw new Error('each delay must be whole milliseconds');
    if (ms < minDelayMs || ms > maxDelayMs) throw new Error('each delay must be between 100ms and 24h');
  }
  return [...levelsMs];
}
