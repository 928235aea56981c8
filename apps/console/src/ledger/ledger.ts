import { CONSUMER_NAMES, ConsumerName, COUPON_CONSUMER, RED_PACKET_CONSUMER } from '@reliable-payments/contracts';

/**
 * The loss ledger: for each consumer, paid = granted + in flight + dead-lettered + discarded
 * (+ lost), and grants beyond the paid orders are duplicated.
 *
 * Duplicated compares grants with paid orders only, never with dead letters: a letter can name an
 * order nobody paid (poison planted with a made-up id), and the consumers cannot tell, because
 * which orders were paid is the order service's knowledge. The console is the one reader of both,
 * so the rule lives here: a surplus of dead letters over the gap is not a duplicate, and the
 * orders it names (`OrderNamer`) are matched against the paid ids, so an unknown order is never
 * named lost or duplicated either.
 *
 * Reading a moving pipeline is never one atomic snapshot: a message can leave a queue after the
 * queue was read and reach its grant after the grants were read, or go from a retry level back to
 * the main queue (a cycle, so no read order catches everything). The rule that keeps the ledger
 * honest: while anything moves, a gap between paid and (granted + dead-lettered) is in flight,
 * never lost. Only once the system is quiet — every source answered, nothing queued, held
 * unacknowledged or pending in the outbox, and the counts unchanged since the previous reading —
 * is a remaining gap lost and a surplus duplicated. Then the ledger is exact.
 *
 * Consumers are keyed by their one name (`coupon-service`, `red-packet-service`: @reliable-payments/contracts).
 */

/** One consumer's sources, read after the order service's (pipeline order). */
export interface ConsumerReading {
  /** Grants issued (rows in the grant table). */
  granted: number;
  /** Pending dead letters of orders that have no grant (what is owed after a re-drive). */
  deadLettered: number;
  /** Orders whose letters an operator discarded (with a comment), without a grant: decided, not lost. */
  discarded: number;
  /** Messages in this consumer's main queue, retry levels and dead-letter queue. */
  queued: number;
  /** Deliveries the consumer holds unacknowledged (being handled). */
  unacked: number;
  /** False when a source did not answer this time (its last value is used, and nothing settles). */
  fresh: boolean;
}

export interface LedgerReading {
  at: string;
  paid: number;
  outboxPending: number;
  /** False when the order service did not answer. */
  fresh: boolean;
  consumers: Record<ConsumerName, ConsumerReading>;
}

export interface ConsumerLedger {
  paid: number;
  granted: number;
  inFlight: number;
  deadLettered: number;
  discarded: number;
  lost: number;
  duplicated: number;
  /** What the sources themselves show moving (outbox + queues + unacked); inFlight is the gap. */
  measuredInFlight: number;
  /** Quiet for two readings in a row: lost and duplicated are exact. */
  settled: boolean;
}

/**
 * Grants issued, by product: product nouns, not consumer names. `granted.coupons` counts coupons
 * (the page's "Coupons" cell, `GET /api/ledger`'s `granted`), what a reader adds up against the
 * paid orders; where the console names a consumer (per-consumer detail, actions) it uses the
 * consumer's name.
 */
export interface GrantCounts {
  coupons: number;
  redPackets: number;
}

export interface Ledger {
  at: string;
  paid: number;
  granted: GrantCounts;
  inFlight: number;
  deadLettered: number;
  discarded: number;
  lost: number;
  duplicated: number;
  settled: boolean;
  fresh: boolean;
  consumers: Record<ConsumerName, ConsumerLedger>;
}

const measured = (reading: LedgerReading, name: ConsumerName) => reading.outboxPending + reading.consumers[name].queued + reading.consumers[name].unacked;

function isQuiet(reading: LedgerReading, name: ConsumerName): boolean {
  return reading.fresh && reading.consumers[name].fresh && measured(reading, name) === 0;
}

function sameCounts(a: LedgerReading, b: LedgerReading, name: ConsumerName): boolean {
  const x = a.consumers[name];
  const y = b.consumers[name];
  return a.paid === b.paid && x.granted === y.granted && x.deadLettered === y.deadLettered && x.discarded === y.discarded;
}

export function consumerLedger(current: LedgerReading, previous: LedgerReading | undefined, name: ConsumerName): ConsumerLedger {
  const c = current.consumers[name];
  const gap = current.paid - c.granted - c.deadLettered - c.discarded;
  const surplus = c.granted - current.paid;
  const settled = previous !== undefined && isQuiet(current, name) && isQuiet(previous, name) && sameCounts(current, previous, name);
  return {
    paid: current.paid,
    granted: c.granted,
    deadLettered: c.deadLettered,
    discarded: c.discarded,
    measuredInFlight: measured(current, name),
    settled,
    // Moving: the gap is in flight (a surplus is a message counted twice between reads, so 0).
    inFlight: settled ? 0 : Math.max(0, gap),
    lost: settled ? Math.max(0, gap) : 0,
    // Grants beyond the paid orders only: letters naming orders nobody paid duplicate nothing.
    duplicated: settled ? Math.max(0, surplus) : 0,
  };
}

/** The ledger of `current`, given the reading before it (undefined for the first). */
export function computeLedger(current: LedgerReading, previous?: LedgerReading): Ledger {
  const consumers = Object.fromEntries(CONSUMER_NAMES.map((name) => [name, consumerLedger(current, previous, name)])) as Record<ConsumerName, ConsumerLedger>;
  const all = Object.values(consumers);
  const sum = (key: 'inFlight' | 'deadLettered' | 'discarded' | 'lost' | 'duplicated') => all.reduce((total, c) => total + c[key], 0);
  return {
    at: current.at,
    paid: current.paid,
    granted: { coupons: consumers[COUPON_CONSUMER.name].granted, redPackets: consumers[RED_PACKET_CONSUMER.name].granted },
    inFlight: sum('inFlight'),
    deadLettered: sum('deadLettered'),
    discarded: sum('discarded'),
    lost: sum('lost'),
    duplicated: sum('duplicated'),
    settled: all.every((c) => c.settled),
    fresh: current.fresh && CONSUMER_NAMES.every((n) => current.consumers[n].fresh),
    consumers,
  };
}

/**
 * Which orders a settled consumer lost or granted beyond the paid ones, from id lists sorted
 * ascending (one merge pass): lost = paid, not granted, not owed a re-drive; duplicated = granted
 * but not paid. At most `limit` of each.
 */
export function nameOrders(paid: string[], granted: string[], owed: Set<string>, limit = 20): { lost: string[]; duplicated: string[] } {
  const lost: string[] = [];
  const duplicated: string[] = [];
  let i = 0;
  let j = 0;
  while (i < paid.length || j < granted.length) {
    if (j >= granted.length || (i < paid.length && paid[i] < granted[j])) {
      if (!owed.has(paid[i]) && lost.length < limit) lost.push(paid[i]);
      i++;
    } else if (i >= paid.length || granted[j] < paid[i]) {
      if (duplicated.length < limit) duplicated.push(granted[j]);
      j++;
    } else {
      i++;
      j++;
    }
  }
  return { lost, duplicated };
}
