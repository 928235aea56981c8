import { join } from 'node:path';
import { RabbitCluster } from '../../../tools/cluster/rabbit-cluster';
import { RabbitNode } from '../../../tools/cluster/rabbit-node';
import { ReliabilitySystem, SystemOptions } from '../../reliability/harness/reliability-system';
import { ServiceProcess } from '../../../tools/process/service-process';
import { fetchTransport } from '../../../tools/harness/http-transport';
import { ServiceClient } from '../../../tools/harness/service-client';

const ROOT = join(__dirname, '..', '..', '..');
export const CLUSTER_RESULTS_DIR = join(ROOT, 'results', 'cluster');
export const HEARTBEAT = '?heartbeat=5';

/**
 * Every node of the suite's cluster: peers are declared down after ~15 s without a tick (the
 * default, 60 s, would make scenario 6 slow), and a node that finds itself in the minority pauses
 * (closing its clients' connections) until it sees the majority again.
 */
export const CLUSTER_ERL_ARGS = '-kernel net_ticktime 15 -rabbit cluster_partition_handling pause_minority';

/**
 * A system of services on the suite's three-node cluster with quorum queues. Each service kind
 * gets the node list in another order, so connections spread over the nodes and a node's death
 * always takes some of them (the others fail over to the next URL of their list).
 */
export function clusterSystem(cluster: RabbitCluster, options: Omit<SystemOptions, 'amqpUrl'>): ReliabilitySystem {
  return new ReliabilitySystem({
    ...options,
    amqpUrl: cluster.urls(),
    resultsDir: options.resultsDir ?? CLUSTER_RESULTS_DIR,
    env: { AMQP_QUEUE_TYPE: 'quorum', ...options.env },
    // Heartbeats of 5 s: a connection to a hung node (scenario 6) is given up within ~10 s.
    orderEnv: { RABBITMQ_URL: cluster.urls(0, HEARTBEAT), ...options.orderEnv },
    couponEnv: { RABBITMQ_URL: cluster.urls(1, HEARTBEAT), ...options.couponEnv },
    redPacketEnv: { RABBITMQ_URL: cluster.urls(2, HEARTBEAT), ...options.redPacketEnv },
  });
}

/** The /health of a service process (status code and body), or undefined when it does not answer. */
export async function health(service: ServiceProcess): Promise<{ status: number; body: any } | undefined> {
  return new ServiceClient(service.url, { transport: fetchTransport(3_000) }).request('GET', '/health').catch(() => undefined);
}

/** The cluster node a service is connected to, as its /health names it (host:port). */
export async function nodeOf(cluster: RabbitCluster, service: ServiceProcess): Promise<RabbitNode> {
  const answer = await health(service);
  const label = answer?.body?.checks?.broker?.node as string | undefined;
  if (!label) throw new Error(`${service.name} names no broker node in /health: ${JSON.stringify(answer?.body?.checks?.broker)}`);
  return cluster.node(label);
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Starts every node that is not running (a scenario may have left one down after a failure). */
export async function ensureAllRunning(cluster: RabbitCluster): Promise<void> {
  for (const node of cluster.nodes) if (!node.pid()) await node.start();
}
