import { CONSUMER_NAMES, ConsumerName } from '@reliable-payments/contracts';
import { PublicConsumerView, PublicSnapshot, Snapshot } from './snapshot.types';

/**
 * What an anonymous viewer of /api/snapshot and /api/stream sees: the ledger's counts, the
 * pipeline's depths and states, the charts. Nothing that identifies a letter, an order or an
 * event (letter rows, error groups, named orders, recent order ids, error texts), and no chaos
 * detail: those come only after sign-in (issue 21). Built field by field, so a field added to
 * the full snapshot later stays private until someone decides otherwise here.
 */
export function publicSnapshot(snapshot: Snapshot): PublicSnapshot {
  const consumers = Object.fromEntries(
    CONSUMER_NAMES.map((name) => {
      const c = snapshot.consumers[name];
      const view: PublicConsumerView = {
        service: c.service,
        up: c.up,
        state: c.state,
        database: c.database,
        unacked: c.unacked,
        retriedByLevel: { ...c.retriedByLevel },
        queues: c.queues,
        deadLetters: { owed: c.deadLetters.owed, discarded: c.deadLetters.discarded, pending: c.deadLetters.pending },
        granted: c.granted,
      };
      return [name, view];
    }),
  ) as Record<ConsumerName, PublicConsumerView>;
  const { ledger } = snapshot;
  return {
    at: snapshot.at,
    signedIn: false,
    ledger,
    order: { up: snapshot.order.up, paid: snapshot.order.paid, created: snapshot.order.created, outboxPending: snapshot.order.outboxPending },
    consumers,
    series: snapshot.series,
    load: { steady: { ...snapshot.load.steady } },
  };
}
