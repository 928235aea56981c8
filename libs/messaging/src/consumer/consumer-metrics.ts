/**
 * Per-message observations for a metrics exporter (histograms). Counters are not pushed: an
 * exporter reads them from `snapshot()` when scraped, which costs the hot path nothing.
 */
export interface ConsumerObserver {
  /** A delivery's handler settled: `value` is the decoded message (undefined if decoding failed). */
  handled(queue: string, outcome: 'processed' | 'duplicate' | 'failed', seconds: number, value: unknown): void;
}

/** Counters per consumer, for health pages and dashboards. Process-local; they reset on restart. */
export class ConsumerMetrics {
  processed = 0;
  duplicates = 0;
  deadLettered = 0;
  redriven = 0;
  /** Messages moved to retry level n (1-based), keyed by level. */
  readonly retried: Record<number, number> = {};
  pauses = 0;
  /** Failures since the last message handled successfully: > 0 means the consumer is failing now. */
  consecutiveFailures = 0;
  /** Set by `MessagingService.observe` (metrics); undefined costs nothing. */
  observer?: ConsumerObserver;
  /** Observed wait between a failure at level n and the next delivery: {count, minMs, maxMs}. */
  readonly retryDelays: Record<number, { count: number; minMs: number; maxMs: number }> = {};

  observeRetryDelay(level: number, ms: number): void {
    const entry = (this.retryDelays[level] ??= { count: 0, minMs: ms, maxMs: ms });
    entry.count++;
    entry.minMs = Math.min(entry.minMs, ms);
    entry.maxMs = Math.max(entry.maxMs, ms);
  }

  countRetry(level: number): void {
    this.retried[level] = (this.retried[level] ?? 0) + 1;
  }

  snapshot() {
    const retriedTotal = Object.values(this.retried).reduce((sum, n) => sum + n, 0);
    return {
      processed: this.processed,
      duplicates: this.duplicates,
      retried: retriedTotal,
      retriedByLevel: { ...this.retried },
      deadLettered: this.deadLettered,
      redriven: this.redriven,
      pauses: this.pauses,
      consecutiveFailures: this.consecutiveFailures,
      retryDelays: structuredClone(this.retryDelays),
    };
  }
}
