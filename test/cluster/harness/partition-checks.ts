import { RabbitCluster } from '../../../tools/cluster/rabbit-cluster';
import { RabbitNode } from '../../../tools/cluster/rabbit-node';
import { ServiceProcess } from '../../../tools/process/service-process';
import { health, waitFor } from './cluster-run';

/** The leader of a quorum queue as `observer` sees it (a majority node's view, not a paused node's). */
export async function leaderSeenBy(cluster: RabbitCluster, observer: RabbitNode, queue: string): Promise<RabbitNode | undefined> {
  const out = await observer.ctl(['list_queues', 'name', 'leader', '--no-table-headers'], 20_000).catch(() => '');
  for (const line of out.split('\n')) {
    const [name, leader] = line.trim().split(/\s+/);
    if (name === queue && leader) return cluster.nodes.find((n) => n.name === leader);
  }
  return undefined;
}

/** Waits until `observer` no longer sees `gone` as a peer (net_ticktime passed without a tick). */
export async function waitUntilPartitioned(cluster: RabbitCluster, observer: RabbitNode, gone: RabbitNode, timeoutMs = 60_000): Promise<number> {
  const started = Date.now();
  await waitFor(`${observer.name} to see ${gone.name} gone`, async () => ((await cluster.peersOf(observer)).includes(gone.name) ? undefined : true), timeoutMs);
  return (Date.now() - started) / 1000;
}

/**
 * The cluster after a heal: every node's Erlang VM sees the other two, no node remembers a
 * partition, and the rabbit application runs on each (a paused minority node has restarted it).
 * Returns the seconds it took.
 */
export async function waitUntilConverged(cluster: RabbitCluster, timeoutMs = 150_000): Promise<number> {
  const started = Date.now();
  const others = (node: RabbitNode) => cluster.nodes.filter((n) => n !== node).map((n) => n.name);
  await waitFor(
    'every node to see the other two, with no partition recorded and rabbit running',
    async () => {
      for (const node of cluster.nodes) {
        const peers = await cluster.peersOf(node);
        if (!others(node).every((name) => peers.includes(name))) return undefined;
        const partitions = (await node.ctl(['eval', 'rabbit_node_monitor:partitions().'], 20_000)).trim();
        if (partitions !== '[]') return undefined;
        await node.ctl(['await_startup', '--timeout', '5'], 15_000);
      }
      return true;
    },
    timeoutMs,
  );
  return (Date.now() - started) / 1000;
}

/** The broker node each service names in /health (host:port), by service name. */
export async function brokerNodes(services: ServiceProcess[]): Promise<Record<string, string | undefined>> {
  const out: Record<string, string | undefined> = {};
  for (const service of services) out[service.name] = (await health(service))?.body?.checks?.broker?.node;
  return out;
}

/** Waits until every service is connected to one of `majority` (the minority paused and closed its clients). */
export async function waitUntilServicesOn(majority: RabbitNode[], services: ServiceProcess[], timeoutMs = 60_000): Promise<Record<string, string | undefined>> {
  const labels = majority.map((n) => n.label);
  return waitFor(
    `every service on a majority node (${labels.join(', ')})`,
    async () => {
      const nodes = await brokerNodes(services);
      return Object.values(nodes).every((label) => label && labels.includes(label)) ? nodes : undefined;
    },
    timeoutMs,
  );
}
