const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
/** Days are read (retention periods) but never written: queue names keep their hour labels. */
const READ_UNITS: Record<string, number> = { ...UNITS, d: 86_400_000 };

/** Parses "250ms", "5s", "2m", "1h", "30d" (or a bare number of milliseconds) into milliseconds. */
export function parseDuration(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
  if (!match) throw new Error(`"${text}" is not a duration (use e.g. 500ms, 5s, 2m, 1h, 30d)`);
  const ms = Math.round(Number(match[1]) * READ_UNITS[match[2] ?? 'ms']);
  if (!Number.isSafeInteger(ms)) throw new Error(`"${text}" is too large`);
  return ms;
}

/** The shortest exact label for a duration: 1000 → "1s", 90000 → "90s", 120000 → "2m". */
export function formatDuration(ms: number): string {
  for (const unit of ['h', 'm', 's'] as const) {
    if (ms >= UNITS[unit] && ms % UNITS[unit] === 0) return `${ms / UNITS[unit]}${unit}`;
  }
  return `${ms}ms`;
}
