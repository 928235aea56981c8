export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  count: number;
}

/** Nearest-rank percentiles; NaN for no values. */
export function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : NaN);
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), count: sorted.length };
}

/** The middle value (the mean of the two middle ones for an even count): one disturbed run does not move it. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The median of each key's values. */
export function medians<K extends string>(values: Record<K, number[]>): Record<K, number> {
  return Object.fromEntries(Object.entries<number[]>(values).map(([key, list]) => [key, median(list)])) as Record<K, number>;
}
