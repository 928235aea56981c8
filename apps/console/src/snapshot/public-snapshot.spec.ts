import { COUPON_CONSUMER, RED_PACKET_CONSUMER } from '@reliable-payments/contracts';
import { computeLedger, LedgerReading } from '../ledger/ledger';
import { publicSnapshot } from './public-snapshot';
import { ConsumerView, Snapshot } from './snapshot.types';

const consumer = (service: string): ConsumerView => ({
  service,
  up: false,
  problem: 'coupon-service: order 3f1c… failed: secret detail',
  state: 'consuming',
  database: 'up',
  unacked: 0,
  retriedByLevel: { '1': 2 },
  chaos: { mode: 'slow', latencyMs: 5, healsAt: null },
  queues: { main: { name: 'q', depth: 0 }, retry: [], deadLetter: { name: 'q.dlq', depth: 0 } },
  deadLetters: { owed: 1, discarded: 0, pending: 1, groups: [{ errorCode: 'SCHEMA_INVALID', count: 1 }] },
  granted: 3,
});
const reading: LedgerReading = { at: '2026-01-01T00:00:00.000Z', paid: 4, outboxPending: 0, fresh: true, consumers: {} as LedgerReading['consumers'] };

describe('publicSnapshot', () => {
  it('keeps the counts and drops everything that identifies a letter, an order or an event, and the chaos state', () => {
    const full: Snapshot = {
      at: reading.at,
      signedIn: true,
      ledger: computeLedger({
        ...reading,
        consumers: {
          [COUPON_CONSUMER.name]: { granted: 3, deadLettered: 1, discarded: 0, queued: 0, unacked: 0, fresh: true },
          [RED_PACKET_CONSUMER.name]: { granted: 4, deadLettered: 0, discarded: 0, queued: 0, unacked: 0, fresh: true },
        },
      }),
      named: { [COUPON_CONSUMER.name]: { lost: ['order-a'], duplicated: [] }, [RED_PACKET_CONSUMER.name]: { lost: [], duplicated: [] } },
      order: { up: false, problem: 'order-service: secret', paid: 4, created: 0, outboxPending: 0 },
      consumers: { [COUPON_CONSUMER.name]: consumer('coupon-service'), [RED_PACKET_CONSUMER.name]: consumer('red-packet-service') },
      deadLetterRows: {
        [COUPON_CONSUMER.name]: [
          {
            id: '7',
            messageId: 'event-1',
            reason: 'poison',
            errorCode: 'SCHEMA_INVALID',
            attempts: 1,
            firstFailedAt: null,
            lastFailedAt: null,
            deadLetteredAt: reading.at,
          },
        ],
        [RED_PACKET_CONSUMER.name]: [],
      },
      series: [],
      load: { steady: { rate: 0, running: false, paid: 0, failed: 0 }, recentOrders: ['order-b'], lastError: 'secret' },
      jobs: [],
    };
    const open = publicSnapshot(full);
    const text = JSON.stringify(open);
    for (const secret of ['order-a', 'order-b', 'event-1', 'SCHEMA_INVALID', 'secret', 'slow', 'chaos', 'named', 'deadLetterRows', 'jobs'])
      expect({ secret, found: text.includes(secret) }).toEqual({ secret, found: false });
    expect(open).toMatchObject({
      signedIn: false,
      ledger: { paid: 4, deadLettered: 1 },
      consumers: { 'coupon-service': { granted: 3, deadLetters: { owed: 1, discarded: 0, pending: 1 }, retriedByLevel: { '1': 2 } } },
    });
  });
});
