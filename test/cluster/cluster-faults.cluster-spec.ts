import { RowDataPacket } from 'mysql2/promise';
import { COUPON_CONSUMER } from '@reliable-payments/contracts';
import { consumerQueue } from '@reliable-payments/messaging';
import { RabbitCluster } from '../../tools/cluster/rabbit-cluster';
import { hold } from '../reliability/harness/hold';
import { ReliabilitySystem } from '../reliability/harness/reliability-system';
import { CLUSTER_ERL_ARGS, clusterSystem, ensureAllRunning, health, nodeOf, waitFor } from './harness/cluster-run';

/**
 * The cluster scenarios on a fresh three-node RabbitMQ 3.10 cluster of the suite's own
 * (own node names, ports and directories; the system broker is never touched), quorum queues,
 * services as real processes, load while the fault runs, then the reliability suite's invariants.
 */
const SCENARIO_MS = 300_000;
let cluster: RabbitCluster;

beforeAll(async () => {
  cluster = await RabbitCluster.create(3, process.env.CLUSTER_TAG ?? `rc${process.pid}`, CLUSTER_ERL_ARGS);
  await cluster.start();
}, 180_000);

afterAll(async () => {
  await cluster?.destroy();
}, 60_000);

beforeEach(async () => ensureAllRunning(cluster), 120_000);

/** Starts the system, runs the scenario, checks the invariants and always cleans up. */
async function scenario(system: ReliabilitySystem, body: () => Promise<void>, expected = {}): Promise<void> {
  try {
    await system.start();
    await body();
    expect((await system.check(expected)).violations).toEqual([]);
  } finally {
    await system.cleanup();
  }
}

describe('cluster: broker node faults under load (quorum queues)', () => {
  it(
    "1: the node leading the consumers' queues SIGKILLed, restarted later",
    async () => {
      const system = clusterSystem(cluster, { scenario: 'c1-leader-sigkill' });
      await scenario(system, async () => {
        const queue = `${system.prefix}${consumerQueue(COUPON_CONSUMER)}`;
        const leader = await waitFor('a leader of the coupon queue', () => cluster.leaderOf(queue));
        system.notes.killedNode = leader.name;
        await system.load(300, {
          fault: async () => {
            await leader.kill();
            const newLeader = await waitFor('a new leader', async () => {
              const l = await cluster.leaderOf(queue);
              return l && l !== leader ? l : undefined;
            });
            system.notes.newLeader = newLeader.name;
            await hold(5_000);
            await leader.start();
            system.healed();
          },
        });
      });
    },
    SCENARIO_MS,
  );

  it(
    '2: the node the order service is connected to SIGKILLed while the relay has publishes in flight',
    async () => {
      const system = clusterSystem(cluster, { scenario: 'c2-order-node-sigkill' });
      await scenario(system, async () => {
        const node = await nodeOf(cluster, system.order);
        const couponQueue = `${system.prefix}${consumerQueue(COUPON_CONSUMER)}`;
        const stalled = await waitFor('a leader of the coupon queue', () => cluster.leaderOf(couponQueue));
        if (stalled === node) throw new Error(`the coupon queue's leader is on the order service's node (${node.name}); the scenario needs them apart`);
        system.notes.killedNode = node.name;
        system.notes.stalledLeader = stalled.name;
        await system.load(400, {
          rate: 120,
          fault: async () => {
            // Publishes stay unconfirmed while a queue they route to has no leader: the coupon queue's
            // leader is suspended for a moment, so the order service's node is killed with its
            // relay's publishes certainly in flight (checked in its /health).
            stalled.signal('SIGSTOP');
            try {
              system.notes.inFlightAtKill = await waitFor(
                'publishes in flight',
                async () => {
                  const n = Number((await health(system.order))?.body?.checks?.broker?.inFlight ?? 0);
                  return n > 0 ? n : undefined;
                },
                20_000,
              );
              await node.kill();
            } finally {
              stalled.signal('SIGCONT');
            }
            const moved = await waitFor('the order service on another node', async () => {
              const label = (await health(system.order))?.body?.checks?.broker?.node as string | undefined;
              return label && label !== node.label ? label : undefined;
            });
            system.notes.orderServiceMovedTo = moved;
            await hold(3_000);
            await node.start();
            system.healed();
          },
        });
        // Rows whose publish failed with the node and went out again later.
        const [retried] = await system.query<RowDataPacket & { n: number }>('order', 'SELECT COUNT(*) AS n FROM outbox_messages WHERE attempts > 1');
        system.notes.outboxRowsPublishedAgain = Number(retried.n);
        expect(system.notes.outboxRowsPublishedAgain).toBeGreaterThan(0);
      });
    },
    SCENARIO_MS,
  );

  it(
    '3: rolling graceful restart of all three nodes',
    async () => {
      const system = clusterSystem(cluster, { scenario: 'c3-rolling-restart' });
      await scenario(system, async () => {
        await system.load(400, {
          rate: 40,
          faultAfter: 40,
          fault: async () => {
            for (const node of cluster.nodes) {
              await node.stop();
              await node.start();
            }
            system.healed();
          },
        });
      });
    },
    SCENARIO_MS,
  );

  it(
    '4: two instances of each service, one of each SIGKILLed mid-flow',
    async () => {
      const system = clusterSystem(cluster, { scenario: 'c4-two-instances-one-killed', orderInstances: 2, couponInstances: 2, redPacketInstances: 2 });
      await scenario(system, async () => {
        await system.load(400, {
          rate: 80,
          fault: async () => {
            await Promise.all([system.orders[1], system.coupons[1], system.redPackets[1]].map((s) => s.kill('SIGKILL')));
            system.healed();
          },
        });
      });
    },
    SCENARIO_MS,
  );

  it(
    '5: memory alarm raised, then lifted: rows pile up pending, nothing lost, everything flows after',
    async () => {
      const system = clusterSystem(cluster, { scenario: 'c5-memory-alarm' });
      const alarmed = cluster.nodes[0];
      await scenario(system, async () => {
        try {
          await system.load(300, {
            fault: async () => {
              // An alarm on one node blocks publishers on every node of the cluster.
              await alarmed.setMemoryWatermark(0.0000001);
              const blocked = await waitFor('order /health saying "broker blocked"', async () => {
                const h = await health(system.order);
                return h?.body?.message === 'broker blocked' ? h : undefined;
              });
              system.notes.orderHealthWhileBlocked = { status: blocked.status, broker: blocked.body.checks.broker };
              const [before] = await system.query<RowDataPacket & { n: number }>('order', 'SELECT COUNT(*) AS n FROM outbox_messages WHERE sent_at IS NULL');
              await hold(4_000);
              const [after] = await system.query<RowDataPacket & { n: number; sent: number }>(
                'order',
                'SELECT SUM(sent_at IS NULL) AS n, SUM(sent_at > ?) AS sent FROM outbox_messages',
                [new Date(Date.now() - 3_000)],
              );
              const coupon = await health(system.coupons[0]);
              system.notes.pendingWhileBlocked = { before: Number(before.n), after: Number(after.n), sentInLast3s: Number(after.sent ?? 0) };
              system.notes.couponWhileBlocked = { status: coupon?.status, consumer: coupon?.body?.checks?.consumers?.[0]?.state };
              await alarmed.setMemoryWatermark(0.4);
              system.healed();
            },
          });
        } finally {
          await alarmed.setMemoryWatermark(0.4).catch(() => undefined);
        }
        const notes = system.notes as any;
        expect(notes.orderHealthWhileBlocked).toMatchObject({ status: 200, broker: { status: 'blocked' } });
        expect(notes.pendingWhileBlocked.after).toBeGreaterThan(0);
        expect(notes.pendingWhileBlocked.sentInLast3s).toBe(0);
        expect(notes.couponWhileBlocked).toEqual({ status: 200, consumer: 'consuming' });
      });
    },
    SCENARIO_MS,
  );

  it(
    '6: a partition by suspension: one node SIGSTOPped past net_ticktime under load, then resumed',
    async () => {
      const system = clusterSystem(cluster, { scenario: 'c6-partition-by-suspension' });
      // The red-packet service lists this node first, so it is connected to it when it hangs.
      const node = cluster.nodes[2];
      const [observer] = cluster.nodes;
      await scenario(system, async () => {
        await system.load(300, {
          fault: async () => {
            node.signal('SIGSTOP');
            try {
              // The majority declares the hung node down once net_ticktime passes without a tick.
              await waitFor(
                'the majority to see the node gone',
                async () => ((await cluster.peersOf(observer)).includes(node.name) ? undefined : true),
                60_000,
              );
              system.notes.partitionedFor = 'net_ticktime';
              await hold(3_000);
            } finally {
              node.signal('SIGCONT');
            }
            // Resumed, it finds itself cut off (pause_minority), then sees the majority and rejoins.
            await waitFor('the node back in the cluster', async () => ((await cluster.peersOf(observer)).includes(node.name) ? true : undefined), 120_000);
            await node.ctl(['await_startup', '--timeout', '60'], 70_000);
            system.healed();
          },
        });
        system.notes.partitionsSeen = (await observer.ctl(['eval', 'rabbit_node_monitor:partitions().'])).trim();
      });
    },
    SCENARIO_MS,
  );
});
