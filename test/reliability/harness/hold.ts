/**
 * Keeps a fault in place for `ms`. Scenarios use it for the length of an outage, which is what they
 * test; waiting for a condition always goes through a deadline-bound poll instead.
 */
export function hold(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
