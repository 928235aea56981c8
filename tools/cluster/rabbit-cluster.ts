import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../process/service-process';
import { RabbitNode } from './rabbit-node';
import { NetnsNetwork } from './netns-network';

/**
 * A fresh RabbitMQ cluster on this machine, beside the system broker: `size` nodes with ports and
 * directories of their own, the first a seed the others `join_cluster`. `destroy()` stops every
 * node (by its own name and pid) and removes the directories. The directories live in a temporary
 * directory of the cluster's own (`/tmp/<tag>-…`), not under the checkout: `rabbitmq-server` runs
 * as the rabbitmq user, which must be able to reach them, and a checkout may sit in a directory
 * only root can enter (a `mktemp -d` clone).
 */
export class RabbitCluster {
  readonly nodes: RabbitNode[] = [];

  constructor(
    private readonly baseDir: string,
    private readonly tag: string,
    /** Set when each node runs in a network namespace of its own (`create(..., { netns: true })`). */
    readonly network?: NetnsNetwork,
  ) {}

  /**
   * `erlArgs` go to every node (e.g. a shorter net_ticktime, a partition-handling mode). With
   * `netns`, each node runs in a namespace of its own on a private bridge (NetnsNetwork), so the
   * links between nodes can be cut while the host still reaches every node.
   */
  static async create(size = 3, tag = `rc${process.pid}`, erlArgs?: string, options: { netns?: boolean } = {}): Promise<RabbitCluster> {
    const baseDir = mkdtempSync(join(tmpdir(), `${tag}-`));
    chmodSync(baseDir, 0o755); // mkdtemp makes it 0700: the rabbitmq user must enter it
    const network = options.netns ? await NetnsNetwork.create(tag, size) : undefined;
    const cluster = new RabbitCluster(baseDir, tag, network);
    for (let i = 1; i <= size; i++) {
      const host = network ? network.members[i - 1].hostname : 'localhost';
      const net = network ? { network, index: i - 1 } : undefined;
      cluster.nodes.push(
        new RabbitNode({ name: `${tag}-${i}@${host}`, amqpPort: await freePort(), distPort: await freePort(), dir: join(baseDir, `node-${i}`), erlArgs, net }),
      );
    }
    return cluster;
  }

  /** The network of a namespaced cluster (throws for one on 127.0.0.1). */
  get net(): NetnsNetwork {
    if (!this.network) throw new Error('this cluster runs on 127.0.0.1, not in namespaces');
    return this.network;
  }

  index(node: RabbitNode): number {
    return this.nodes.indexOf(node);
  }

  /** Comma-separated URLs of all nodes, as RABBITMQ_URL takes them; `rotate` puts another node first, `query` is appended to each. */
  urls(rotate = 0, query = ''): string {
    const n = this.nodes.length;
    return Array.from({ length: n }, (_, i) => `${this.nodes[(i + rotate) % n].url}${query}`).join(',');
  }

  /** Names of the nodes `from` sees as connected peers (Erlang distribution). */
  async peersOf(from: RabbitNode): Promise<string[]> {
    const out = await from.ctl(['eval', 'nodes().'], 20_000);
    return this.nodes.filter((n) => out.includes(n.name)).map((n) => n.name);
  }

  node(label: string): RabbitNode {
    const found = this.nodes.find((n) => n.label === label || n.name === label);
    if (!found) throw new Error(`no node ${label} in the cluster`);
    return found;
  }

  /** Starts every node and joins the others to the first. */
  async start(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.start()));
    const [seed, ...others] = this.nodes;
    for (const node of others) {
      await node.ctl(['stop_app']);
      await node.ctl(['join_cluster', seed.name]);
      await node.ctl(['start_app']);
    }
    await seed.ctl(['await_online_nodes', String(this.nodes.length)]).catch(() => undefined);
  }

  /** The node hosting the leader of a quorum queue (undefined if the queue has none now). */
  async leaderOf(queue: string): Promise<RabbitNode | undefined> {
    for (const node of this.nodes) {
      if (!node.pid()) continue;
      const out = await node.ctl(['list_queues', 'name', 'leader', '--no-table-headers']).catch(() => '');
      for (const line of out.split('\n')) {
        const [name, leader] = line.trim().split(/\s+/);
        if (name === queue && leader) return this.nodes.find((n) => n.name === leader);
      }
      return undefined;
    }
    return undefined;
  }

  /** Any running node, for rabbitmqctl commands that are cluster-wide. */
  running(): RabbitNode {
    const node = this.nodes.find((n) => n.pid());
    if (!node) throw new Error('no node of the cluster is running');
    return node;
  }

  async destroy(): Promise<void> {
    await this.network?.heal();
    await Promise.all(this.nodes.map((node) => node.kill().catch(() => undefined)));
    await this.network?.destroy();
    rmSync(this.baseDir, { recursive: true, force: true });
  }

  get name(): string {
    return this.tag;
  }
}
