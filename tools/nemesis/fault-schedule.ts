import { Prng } from './prng';

/** Every fault the nemesis knows. Broker faults act on one cluster node; the others on a service or its database. */
export type FaultKind =
  | 'broker-sigkill'
  | 'broker-sigstop'
  | 'partition'
  | 'memory-alarm'
  | 'coupon-db-down'
  | 'coupon-db-hang'
  | 'red-packet-db-down'
  | 'red-packet-db-slow'
  | 'order-db-down'
  | 'service-sigkill'
  | 'service-sigterm'
  | 'crash-point';

export const BROKER_FAULTS: readonly FaultKind[] = ['broker-sigkill', 'broker-sigstop', 'partition', 'memory-alarm'];

/** One fault as planned: injected `at` seconds after the start, healed `holdSeconds` later. */
export interface PlannedFault {
  at: number;
  kind: FaultKind;
  /** A broker node's index ("node-2"), a service instance's name, or the database's owner. */
  target: string;
  holdSeconds: number;
  /** For a slow database: the latency added to each packet. */
  latencyMs?: number;
  /**
   * For a crash point: the instance is restarted armed with `TEST_CRASH_AT=<crashAt>` (a fault
   * point of @reliable-payments/faults and the pass that SIGKILLs it), and restarted unarmed at the heal.
   */
  crashAt?: string;
}

export interface ScheduleTargets {
  /** How many broker nodes (targets `node-1`…). */
  brokerNodes: number;
  /** Service instances that may be killed and restarted (e.g. `order`, `coupon-2`). */
  services: string[];
}

export interface ScheduleOptions {
  /** Mean seconds between two fault starts (exponential gaps, so faults overlap now and then). */
  meanGapSeconds?: number;
  /** No fault starts before this. */
  warmupSeconds?: number;
  /** Every fault is healed at least this long before the end. */
  quietTailSeconds?: number;
}

/** [min, max] hold per kind, seconds; and its weight in the draw. */
const KINDS: Record<FaultKind, { hold: [number, number]; weight: number }> = {
  'broker-sigkill': { hold: [4, 12], weight: 2 },
  // Sometimes past net_ticktime (15 s): then the others declare the node down and it pauses on resume.
  'broker-sigstop': { hold: [4, 24], weight: 2 },
  partition: { hold: [8, 30], weight: 3 },
  'memory-alarm': { hold: [4, 12], weight: 1 },
  'coupon-db-down': { hold: [3, 12], weight: 2 },
  'coupon-db-hang': { hold: [3, 10], weight: 1 },
  'red-packet-db-down': { hold: [3, 12], weight: 1 },
  'red-packet-db-slow': { hold: [5, 15], weight: 1 },
  'order-db-down': { hold: [2, 6], weight: 1 },
  'service-sigkill': { hold: [1, 5], weight: 2 },
  'service-sigterm': { hold: [1, 5], weight: 1 },
  // The relay killed after the broker confirmed a batch and before it marked the rows sent, a
  // consumer killed inside its transaction or after its commit and before its ack: the moments the
  // outbox and the inbox exist for. The hold is how long the instance runs armed.
  'crash-point': { hold: [5, 20], weight: 2 },
};

/** The fault points a crash-point fault arms, by the kind of service instance. */
export const CRASH_POINTS = {
  order: ['relay-after-confirm'],
  consumer: ['consumer-before-commit', 'consumer-after-commit'],
} as const;

/**
 * The fault schedule of a run: a pure function of the seed, the duration and the targets, so a
 * seed replays the same faults at the same times against the same targets. Faults overlap, except
 * two on one target at once, and two broker faults at once (one node in trouble at a time keeps a
 * majority: the run tests the chain, not what a cluster without quorum cannot do). Every fault is
 * healed `quietTailSeconds` before the end.
 */
export function planFaults(seed: number, durationSeconds: number, targets: ScheduleTargets, options: ScheduleOptions = {}): PlannedFault[] {
  const rng = new Prng(seed);
  const meanGap = options.meanGapSeconds ?? 10;
  const warmup = options.warmupSeconds ?? 8;
  const tail = options.quietTailSeconds ?? 15;
  const end = durationSeconds - tail;
  const busyUntil = new Map<string, number>();
  let brokerBusyUntil = 0;
  const planned: PlannedFault[] = [];
  // Broker faults get a few seconds after the last one healed: a killed node needs time to start again.
  const brokerSettle = 8;
  for (let t = warmup + rng.between(0, meanGap); t < end - 2; t += Math.max(1, -Math.log(1 - rng.next()) * meanGap)) {
    const kind = rng.weighted(Object.entries(KINDS).map(([k, v]) => [k as FaultKind, v.weight] as const));
    const broker = BROKER_FAULTS.includes(kind);
    if (broker && t < brokerBusyUntil) continue;
    const target = broker
      ? `node-${rng.int(1, targets.brokerNodes)}`
      : kind.startsWith('service-') || kind === 'crash-point'
        ? rng.pick(targets.services)
        : kind.replace(/-db-.*$/, '-db');
    if ((busyUntil.get(target) ?? 0) > t) continue;
    const [min, max] = KINDS[kind].hold;
    const holdSeconds = Math.round(Math.min(rng.between(min, max), end - t) * 10) / 10;
    if (holdSeconds < 1) continue;
    const at = Math.round(t * 10) / 10;
    const fault: PlannedFault = { at, kind, target, holdSeconds };
    if (kind === 'red-packet-db-slow') fault.latencyMs = rng.int(100, 400);
    // Killed on the first to the 20th pass: at 15 orders/s a consumer passes its points about 15
    // times a second, the relay once a batch, so most armed instances die within the hold.
    if (kind === 'crash-point') fault.crashAt = `${rng.pick(target.startsWith('order') ? CRASH_POINTS.order : CRASH_POINTS.consumer)}:${rng.int(1, 20)}`;
    planned.push(fault);
    busyUntil.set(target, at + holdSeconds);
    if (broker) brokerBusyUntil = at + holdSeconds + brokerSettle;
  }
  return planned;
}

/** A schedule as lines for the report: `  12.3 s  partition  node-2  (20.1 s)`. */
export function describeSchedule(faults: readonly PlannedFault[]): string[] {
  return faults.map(
    (f) =>
      `${f.at.toFixed(1).padStart(6)} s  ${f.kind.padEnd(18)} ${f.target.padEnd(14)} (${f.holdSeconds.toFixed(1)} s${f.latencyMs ? `, ${f.latencyMs} ms` : ''}${f.crashAt ? `, ${f.crashAt}` : ''})`,
  );
}
