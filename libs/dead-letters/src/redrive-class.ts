/**
 * What the service decided about a letter when it stored it: `exhausted` (its retries ran out; a
 * plain bulk or automatic re-drive may send it again) or `poison` (an operator must choose to).
 *
 * An allow-list, not a deny-list: a header is untrusted input (anyone allowed to publish to the
 * DLQ chooses it), so a reason this service does not itself produce, or one it cannot read,
 * is poison. Only the consumer's own "retries ran out" with a transient last error, and the
 * broker's own dead-lettering of the main queue, count as exhausted.
 */
export type RedriveClass = 'exhausted' | 'poison';

/** Reasons that mean "a dependency failed, the message itself may be fine". */
export const EXHAUSTED_REASONS: readonly string[] = ['retries-exhausted', 'broker-delivery_limit', 'broker-rejected', 'broker-expired', 'broker-maxlen'];

export function redriveClassOf(letter: { reason: string; errorClass: string }): RedriveClass {
  if (!EXHAUSTED_REASONS.includes(letter.reason)) return 'poison';
  // Our consumer dead-letters a permanent failure as `permanent`; `retries-exhausted` with a
  // permanent class is a contradiction a publisher made up.
  if (letter.reason === 'retries-exhausted' && letter.errorClass === 'permanent') return 'poison';
  return 'exhausted';
}
