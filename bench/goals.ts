/**
 * The goals of issue 24, as data: each is reported met or not met beside its figure, and never
 * fails the bench (a shared 2-core machine moves figures by ±20 % run to run; a failing bench
 * would be noise). `at least` goals compare a ratio or a rate from below, `at most` from above.
 */
export interface Goal {
  label: string;
  kind: 'at least' | 'at most';
  value: number;
  unit: string;
}

export const GOALS = {
  endToEndVsRaw: { label: 'end to end vs raw script', kind: 'at least', value: 0.75, unit: 'x' },
  endToEndVsRawHttp: { label: 'end to end vs raw HTTP server', kind: 'at least', value: 0.9, unit: 'x' },
  relayVsRawPublish: { label: 'relay vs raw confirmed publish', kind: 'at least', value: 0.9, unit: 'x' },
  drainVsRawConsumer: { label: 'drain vs raw consumer', kind: 'at least', value: 1.1, unit: 'x' },
  orderServiceCpu: { label: 'order service CPU per order', kind: 'at most', value: 0.4, unit: 'ms' },
  p99HalfLoad: { label: 'p99 at half load', kind: 'at most', value: 20, unit: 'ms' },
  metricsOnVsOff: { label: 'metrics on vs off', kind: 'at least', value: 0.95, unit: 'x' },
  tracingSampledVsOff: { label: 'tracing at 10 % vs off', kind: 'at least', value: 0.9, unit: 'x' },
} satisfies Record<string, Goal>;

export function goalText(goal: Goal): string {
  return `${goal.kind === 'at least' ? '≥' : '≤'} ${goal.value}${goal.unit === 'x' ? '' : ` ${goal.unit}`}`;
}

/** `met`, `not met`, or `n/a` when the figure could not be measured. */
export function verdict(goal: Goal, figure: number): 'met' | 'not met' | 'n/a' {
  if (!Number.isFinite(figure)) return 'n/a';
  return (goal.kind === 'at least' ? figure >= goal.value : figure <= goal.value) ? 'met' : 'not met';
}
