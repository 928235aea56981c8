import { checkRetryLadder } from '@reliable-payments/config';

/**
 * What happens to a message whose handler failed, as a value. A consumer of events climbs a
 * ladder of delays (one delay queue per level, `buildTopology`) and, when the levels run out,
 * goes to its dead-letter queue; the dead-letter handler, the end of the line, holds a message it
 * cannot store instead of moving it anywhere.
 */
export interface RetryPolicy {
  kind: 'ladder';
  /** Delay before each retry, in ms: level n (1-based) waits `levelsMs[n - 1]`. Empty: no retries. */
  levelsMs: readonly number[];
  /** After the last level (and at once for a permanent failure). */
  onExhausted: 'dead-letter';
}

/** Never move a failed message on: release it to its queue once and pause until the dependency answers. */
export interface HoldPolicy {
  kind: 'hold';
}

export type FailurePolicy = RetryPolicy | HoldPolicy;

/** A ladder of delays that ends in the dead-letter queue, e.g. `retryPolicy([1000, 5000, 30000])`. */
export function retryPolicy(levelsMs: readonly number[]): RetryPolicy {
  return { kind: 'ladder', levelsMs: checkRetryLadder(levelsMs), onExhausted: 'dead-letter' };
}

export const HOLD: HoldPolicy = { kind: 'hold' };
