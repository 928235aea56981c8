/**
 * Spaces events at least `1000 / ratePerSecond` ms apart (by start time), so any one-second window
 * holds at most `ratePerSecond` of them. A late start does not earn a burst afterwards: the next
 * slot is counted from when the last event really started.
 */
export class RatePacer {
  private readonly spacingMs: number;
  private last: number | undefined;

  constructor(ratePerSecond: number) {
    if (!(ratePerSecond > 0)) throw new Error('ratePerSecond must be positive');
    // Whole milliseconds, rounded up: a spacing a hair short (1000 / 3) would let a window take one more.
    this.spacingMs = Math.ceil(1000 / ratePerSecond);
  }

  /** How long to wait at `now` before the next event may start (0 = now). */
  delayAt(now: number): number {
    return this.last === undefined ? 0 : Math.max(0, this.last + this.spacingMs - now);
  }

  /** Records that an event started at `now`. */
  started(now: number): void {
    this.last = now;
  }
}
