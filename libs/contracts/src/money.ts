/**
 * Money is handled as integer cents: amounts are at most 1,000,000.00, so cents stay far inside
 * Number.MAX_SAFE_INTEGER and no floating-point rounding ever touches a stored value.
 */
export function toCents(amount: string): number {
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(amount);
  if (!match) throw new Error(`"${amount}" is not a decimal amount`);
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

export function fromCents(cents: number): string {
  const whole = Math.trunc(cents / 100);
  const frac = String(cents % 100).padStart(2, '0');
  return `${whole}.${frac}`;
}

/** `percent`% of `cents`, rounded half up to a cent, then clamped into [min, max]. */
export function percentOf(cents: number, percent: number, min: number, max: number): number {
  const share = Math.floor((cents * percent + 50) / 100);
  return Math.min(max, Math.max(min, share));
}
