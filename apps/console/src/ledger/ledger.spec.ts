import { COUPON_CONSUMER, RED_PACKET_CONSUMER } from '@reliable-payments/contracts';
import { computeLedger, ConsumerReading, LedgerReading, nameOrders } from './ledger';

const consumer = (granted: number, extra: Partial<ConsumerReading> = {}): ConsumerReading => ({
  granted,
  deadLettered: 0,
  discarded: 0,
  queued: 0,
  unacked: 0,
  fresh: true,
  ...extra,
});
const reading = (paid: number, coupons: ConsumerReading, redPackets: ConsumerReading, extra: Partial<LedgerReading> = {}): LedgerReading => ({
  at: new Date().toISOString(),
  paid,
  outboxPending: 0,
  fresh: true,
  consumers: { [COUPON_CONSUMER.name]: coupons, [RED_PACKET_CONSUMER.name]: redPackets },
  ...extra,
});

describe('the ledger', () => {
  it('is exact once quiet: everything granted, nothing lost or duplicated', () => {
    const quiet = reading(10, consumer(10), consumer(10));
    expect(computeLedger(quiet, quiet)).toMatchObject({
      paid: 10,
      granted: { coupons: 10, redPackets: 10 },
      inFlight: 0,
      deadLettered: 0,
      lost: 0,
      duplicated: 0,
      settled: true,
    });
  });

  it('counts dead letters owed a grant, not as lost', () => {
    const quiet = reading(10, consumer(7, { deadLettered: 3 }), consumer(10));
    expect(computeLedger(quiet, quiet)).toMatchObject({ deadLettered: 3, lost: 0, inFlight: 0, settled: true });
  });

  // Issue 20 item 5: a poison letter naming an order nobody paid made a quiet ledger report
  // `duplicated` (paid − granted − deadLettered went negative), though no grant was duplicated.
  it('does not report duplicated for dead letters of orders that were never paid', () => {
    const quiet = reading(10, consumer(10, { deadLettered: 1 }), consumer(10));
    expect(computeLedger(quiet, quiet)).toMatchObject({ lost: 0, duplicated: 0, settled: true });
    const surplus = reading(10, consumer(11), consumer(10));
    expect(computeLedger(surplus, surplus)).toMatchObject({ duplicated: 1, lost: 0 });
  });

  it('counts discarded letters as discarded: paid = granted + in flight + dead-lettered + discarded, lost stays 0', () => {
    const quiet = reading(10, consumer(7, { deadLettered: 1, discarded: 2 }), consumer(10));
    expect(computeLedger(quiet, quiet)).toMatchObject({ deadLettered: 1, discarded: 2, lost: 0, duplicated: 0, inFlight: 0, settled: true });
  });

  it('never shows a loss while anything moves: a message between reads is in flight', () => {
    // The event left the main queue after it was read and its grant came after the grants were read:
    // no source shows it, yet a queue elsewhere is busy.
    const moving = reading(10, consumer(9, { queued: 1 }), consumer(10));
    const ledger = computeLedger(moving, moving);
    expect(ledger).toMatchObject({ lost: 0, duplicated: 0, inFlight: 1, settled: false });
  });

  it('never shows a loss on the first quiet reading, nor when counts changed since the last one', () => {
    const gap = reading(10, consumer(9), consumer(10));
    expect(computeLedger(gap).lost).toBe(0);
    expect(computeLedger(gap, reading(9, consumer(8), consumer(9))).lost).toBe(0);
    expect(computeLedger(gap, reading(10, consumer(9, { unacked: 1 }), consumer(10))).lost).toBe(0);
  });

  it('never settles while a source does not answer or the outbox holds events', () => {
    const stale = reading(10, consumer(9, { fresh: false }), consumer(10));
    expect(computeLedger(stale, stale)).toMatchObject({ lost: 0, inFlight: 1, settled: false, fresh: false });
    const pending = reading(10, consumer(9), consumer(9), { outboxPending: 1 });
    expect(computeLedger(pending, pending)).toMatchObject({ lost: 0, inFlight: 2, settled: false });
  });

  it('shows a real loss once quiet, on the consumer that lost it', () => {
    const quiet = reading(10, consumer(9), consumer(10));
    const ledger = computeLedger(quiet, quiet);
    expect(ledger).toMatchObject({ lost: 1, inFlight: 0, settled: true });
    expect(ledger.consumers['coupon-service'].lost).toBe(1);
    expect(ledger.consumers['red-packet-service'].lost).toBe(0);
  });

  it('shows grants beyond the paid orders as duplicated once quiet, and as nothing while moving', () => {
    const quiet = reading(10, consumer(10), consumer(12));
    expect(computeLedger(quiet, quiet)).toMatchObject({ duplicated: 2, lost: 0, settled: true });
    const moving = reading(10, consumer(10), consumer(12, { queued: 3 }));
    expect(computeLedger(moving, moving)).toMatchObject({ duplicated: 0, inFlight: 0 });
  });

  it('under a simulated flow read out of step, never reports a loss', () => {
    // 200 orders flow through outbox → queue → consumer → grant; each tick moves some forward, and
    // each reading sees the stages at slightly different moments (upstream first, as the poller reads).
    const stage = Array.from({ length: 200 }, () => 0);
    let previous: LedgerReading | undefined;
    for (let tick = 0; tick < 400; tick++) {
      const count = (s: number) => stage.filter((x) => x === s).length;
      const paid = stage.length;
      const outbox = count(0);
      const advance = () => stage.forEach((s, i) => s < 3 && Math.random() < 0.3 && (stage[i] = s + 1));
      advance(); // moves between the order service's read and the broker's
      const queued = count(1);
      advance();
      const unacked = count(2);
      advance();
      const granted = count(3);
      const current = reading(paid, consumer(granted, { queued, unacked }), consumer(granted, { queued, unacked }), { outboxPending: outbox });
      const ledger = computeLedger(current, previous);
      expect(ledger.lost).toBe(0);
      expect(ledger.duplicated).toBe(0);
      previous = current;
    }
    const done = reading(200, consumer(200), consumer(200));
    expect(computeLedger(done, done)).toMatchObject({ lost: 0, duplicated: 0, inFlight: 0, settled: true });
  });
});

describe('nameOrders', () => {
  it('names paid orders without a grant or a dead letter, and grants without a paid order', () => {
    expect(nameOrders(['a', 'b', 'c', 'e'], ['a', 'c', 'd'], new Set(['e']))).toEqual({ lost: ['b'], duplicated: ['d'] });
  });

  it('stops naming at the limit', () => {
    const paid = Array.from({ length: 50 }, (_, i) => `o${String(i).padStart(3, '0')}`);
    expect(nameOrders(paid, [], new Set(), 5).lost).toEqual(paid.slice(0, 5));
  });
});
