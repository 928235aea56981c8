/** How many failed sign-ins are allowed in a window, per client and for all clients together. */
export interface SignInLimits {
  perClient: number;
  global: number;
  windowMs: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = { perClient: 5, global: 50, windowMs: 60_000 };
/** Clients remembered at once; the oldest is forgotten first (memory stays bounded under a spray of addresses). */
const MAX_CLIENTS = 10_000;

/**
 * Counts failed sign-ins in a sliding window, per client address and in all. Only failures count:
 * an operator who signs in right is never slowed down by another's guesses, unless the global
 * budget (a distributed guess) is spent, and then everyone waits `retryAfterSeconds`. A guess at a
 * 16-character token is hopeless anyway; the limit is what keeps it so, and keeps the log readable.
 */
export class SignInLimiter {
  private readonly byClient = new Map<string, number[]>();
  private all: number[] = [];

  constructor(
    private readonly limits: SignInLimits = DEFAULT_SIGN_IN_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Undefined when `client` may try now, else the seconds until it may. */
  retryAfterSeconds(client: string): number | undefined {
    const now = this.now();
    const recent = this.recent(this.byClient.get(client) ?? [], now);
    this.all = this.recent(this.all, now);
    const blockedUntil = Math.max(
      recent.length >= this.limits.perClient ? recent[recent.length - this.limits.perClient] + this.limits.windowMs : 0,
      this.all.length >= this.limits.global ? this.all[this.all.length - this.limits.global] + this.limits.windowMs : 0,
    );
    return blockedUntil > now ? Math.ceil((blockedUntil - now) / 1000) : undefined;
  }

  failed(client: string): void {
    const now = this.now();
    const recent = this.recent(this.byClient.get(client) ?? [], now);
    recent.push(now);
    this.byClient.delete(client); // re-inserted last: the Map's order is least recently failed first
    this.byClient.set(client, recent.slice(-this.limits.perClient));
    if (this.byClient.size > MAX_CLIENTS) this.byClient.delete(this.byClient.keys().next().value as string);
    this.all = [...this.recent(this.all, now), now].slice(-this.limits.global);
  }

  private recent(times: number[], now: number): number[] {
    return times.filter((t) => t > now - this.limits.windowMs);
  }
}
