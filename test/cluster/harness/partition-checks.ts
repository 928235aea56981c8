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

export interface Convergence {
  seconds: number;
  /** Nodes found stuck booting and restarted (see below); empty when none was. */
  revived: string[];
}

/**
 * The cluster after a heal: every node's Erlang VM sees the other two, no node remembers a
 * partition, and the rabbit application runs on each (a paused minority node has restarted it).
 *
 * RabbitMQ 3.10.8 on Erlang 25.2 (Debian bookworm's pair) now and then never finishes that
 * restart: its log ends in "Global hang workaround ... Faking nodedown/nodeup", a workaround
 * that no longer works from OTP 25.1 on (rabbitmq-server#6034, fixed by #6046 after 3.10.8). An
 * operator restarts such a node; so does this wait, for a node whose rabbit application has not
 * run for `reviveAfterMs`, and it reports the node so the scenario's notes show it. It also
 * restarts the rabbit application of a node the others still record a partition with (below).
 */
export async function waitUntilConverged(cluster: RabbitCluster, timeoutMs = 180_000, reviveAfterMs = 60_000): Promise<Convergence> {
  const started = Date.now();
  const revived: string[] = [];
  const downSince = new Map<RabbitNode, number>();
  let partitionedSince: number | undefined;
  const others = (node: RabbitNode) => cluster.nodes.filter((n) => n !== node).map((n) => n.name);
  await waitFor(
    'every node to see the other two, with no partition recorded and rabbit running',
    async () => {
      let converged = true;
      const recorded = new Map<string, number>();
      for (const node of cluster.nodes) {
        const runs = await node.ctl(['eval', 'rabbit:is_running().'], 20_000).then(
          (out) => out.trim() === 'true',
          () => false,
        );
        if (!runs) {
          converged = false;
          const since = downSince.get(node) ?? Date.now();
          downSince.set(node, since);
          if (Date.now() - since > reviveAfterMs) {
            revived.push(node.name);
            downSince.delete(node);
            await node.kill();
            await node.start();
          }
          continue;
        }
        downSince.delete(node);
        const peers = await cluster.peersOf(node);
        if (!others(node).every((name) => peers.includes(name))) {
          converged = false;
          continue;
        }
        const partitions = (await node.ctl(['eval', 'rabbit_node_monitor:partitions().'], 20_000)).trim();
        if (partitions !== '[]') {
          converged = false;
          for (const other of cluster.nodes) if (partitions.includes(other.name)) recorded.set(other.name, (recorded.get(other.name) ?? 0) + 1);
        }
      }
      // Every node runs and sees the others, yet one remembers a partition: both sides kept running
      // (a node SIGSTOPped past net_ticktime cannot pause itself), and with pause_minority 3.10 keeps
      // that record until a node of one side restarts. RabbitMQ's documented remedy: restart the
      // side you trust less; here the node most often named in the records, once it has stayed so
      // for `reviveAfterMs / 2`.
      if (converged || recorded.size === 0) partitionedSince = undefined;
      else if (partitionedSince === undefined) partitionedSince = Date.now();
      else if (Date.now() - partitionedSince > reviveAfterMs / 2) {
        const [name] = [...recorded].sort((a, b) => b[1] - a[1])[0];
        const node = cluster.nodes.find((n) => n.name === name)!;
        revived.push(`${name} (partition recorded)`);
        partitionedSince = undefined;
        await node.ctl(['stop_app'], 60_000);
        await node.ctl(['start_app'], 120_000);
      }
      return converged ? true : undefined;
    },
    timeoutMs,
  );
  return { seconds: (Date.now() - started) / 1000, revived };
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
