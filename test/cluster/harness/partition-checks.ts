import { RabbitCluster } from '../../../tools/cluster/rabbit-cluster';
import { RabbitNode } from '../../../tools/cluster/rabbit-node';
import { ServiceProcess } from '../../../tools/process/service-process';
import { health, waitFor } from './cluster-run';

/** An Erlang expression for the queue record of `queue` in vhost "/" (names here are plain ASCII). */
const lookup = (queue: string) => `rabbit_amqqueue:lookup(rabbit_misc:r(<<"/">>, queue, <<"${queue}">>))`;

/**
 * The leader of a quorum queue as `observer` sees it (a majority node's view, not a paused
 * node's). Read with `eval` on that node, not `list_queues`: list_queues streams rows from every
 * node straight to the CLI, and a node in another namespace cannot reach a CLI in this one.
 */
export async function leaderSeenBy(cluster: RabbitCluster, observer: RabbitNode, queue: string): Promise<RabbitNode | undefined> {
  const out = await observer.ctl(['eval', `{ok, Q} = ${lookup(queue)}, element(2, amqqueue:get_pid(Q)).`], 20_000).catch(() => '');
  return cluster.nodes.find((n) => out.includes(n.name));
}

/** Deliveries of `queue` not yet acked, as its leader counts them (asked through `observer`). */
export async function unackedOf(observer: RabbitNode, queue: string): Promise<number> {
  const out = await observer.ctl(['eval', `{ok, Q} = ${lookup(queue)}, rabbit_amqqueue:info(Q, [messages_unacknowledged]).`], 20_000);
  const match = /messages_unacknowledged,\s*(\d+)/.exec(out);
  if (!match) throw new Error(`no unacked count for ${queue}: ${out.trim()}`);
  return Number(match[1]);
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
