/**
 * Lets at most `burst` alerts out per window; the rest are counted, and the window's end turns
 * the count into one summary. A flood of dead letters (a poison deploy, a long outage past the
 * ladder) pages an operator once a window, not once a letter. Pure: the caller owns the clock.
 */
export class AlertRateLimiter {
  private windowStart = Number.NEGATIVE_INFINITY;
  private sent = 0;
  private suppressed = 0;

  constructor(
    private readonly burst: number,
    private readonly windowMs: number,
  ) {}

  /** `summary` is the number suppressed in a window that has just ended (0 when none). */
  offer(now: number): { send: boolean; summary: number } {
    const summary = this.roll(now);
    if (this.sent < this.burst) {
      this.sent++;
      return { send: true, summary };
    }
    this.suppressed++;
    return { send: false, summary };
  }

  /** Ends the window if it is over; returns how many alerts it suppressed. */
  roll(now: number): number {
    if (now - this.windowStart < this.windowMs) return 0;
    const suppressed = this.suppressed;
    this.windowStart = now;
    this.sent = 0;
    this.suppressed = 0;
    return suppressed;
  }

  /** When the current window ends (for a timer that flushes its summary). */
  get windowEndsAt(): number {
    return this.windowStart + this.windowMs;
  }

  get pendingSuppressed(): number {
    return this.suppressed;
  }
}
