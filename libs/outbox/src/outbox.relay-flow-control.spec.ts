import type { DataSource, EntityManager } from 'typeorm';
import type { Publisher } from '@reliable-payments/messaging';
import { OutboxRelay } from './outbox.relay';
import { OutboxOptions } from './outbox.options';

const options: OutboxOptions = {
  pollIntervalMs: 1000,
  batchSize: 10,
  concurrency: 1,
  backoffInitialMs: 1000,
  backoffMaxMs: 60_000,
  stuckAfterMs: 300_000,
  retentionMs: 0,
  cleanupIntervalMs: 60_000,
};

/** A relay over a fake broker connection whose blocked state the test sets, and a database with one due row. */
function relayWithFakes() {
  let blockedListener: ((blocked: boolean) => void) | undefined;
  const broker = { blocked: false };
  const published: string[] = [];
  const marked: unknown[][] = [];
  const publisher: Publisher = {
    onBlockedChange: (listener: (blocked: boolean) => void) => (blockedListener = listener),
    get blocked() {
      return broker.blocked;
    },
    ready: true,
    publish: (_exchange: string, _key: string, content: Buffer) => {
      published.push(content.toString());
      return Promise.resolve();
    },
  };
  let pending = [{ id: '1', message_id: 'm1', exchange: 'x', routing_key: 'k', message_type: 't', payload: '{"n":1}', attempts: 0 }];
  const manager = {
    query: (sql: string, params: unknown[]) => {
      if (sql.trim().startsWith('SELECT')) return Promise.resolve(pending);
      marked.push(params);
      pending = [];
      return Promise.resolve({ affectedRows: 1 });
    },
  } as unknown as EntityManager;
  const transactions: string[] = [];
  const dataSource = {
    transaction: (isolation: string, work: (m: EntityManager) => Promise<unknown>) => {
      transactions.push(isolation);
      return work(manager);
    },
  } as unknown as DataSource;
  const relay = new OutboxRelay(dataSource, publisher, options);
  return { relay, broker, published, marked, transactions, setBlocked: (b: boolean) => ((broker.blocked = b), blockedListener?.(b)) };
}

describe('OutboxRelay under broker flow control', () => {
  it('claims nothing while the broker blocks publishing, so rows stay pending', async () => {
    const fakes = relayWithFakes();
    fakes.setBlocked(true);

    await fakes.relay.run();

    expect(fakes.transactions).toEqual([]);
    expect(fakes.published).toEqual([]);
  });

  it('runs at once when the broker unblocks, and publishes and marks the pending row', async () => {
    const fakes = relayWithFakes();
    fakes.setBlocked(true);
    await fakes.relay.run();

    fakes.setBlocked(false);
    await fakes.relay.run(); // joins the run the unblock started

    expect(fakes.published).toEqual(['{"n":1}']);
    expect(fakes.marked).toHaveLength(1);
  });

  it('publishes normally when never blocked', async () => {
    const fakes = relayWithFakes();
    await fakes.relay.run();
    expect(fakes.published).toEqual(['{"n":1}']);
  });
});
