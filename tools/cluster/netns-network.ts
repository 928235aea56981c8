import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** One member of the network: a namespace with one address, reached from the host over the bridge. */
export interface NetnsHost {
  /** Network namespace name (`ip netns`). */
  netns: string;
  /** Host name the RabbitMQ nodes use for it (short, for `-sname`), resolved by /etc/netns/<ns>/hosts. */
  hostname: string;
  address: string;
}

export type CutDirection = 'both' | 'in';

/**
 * A private network of `size` network namespaces on one Linux bridge, so links between them can be
 * cut while each stays reachable from the host: the host owns `<net>.1` on the bridge, member i
 * owns `<net>.(10+i)` on a veth whose other end is on the bridge. A cut is an iptables DROP inside
 * the member's namespace (never on the host), so it touches nothing but this network. The /24 is
 * taken from 10.213.200–249 (the Docker pool range FACTS.md names), one not in use on the host.
 * `destroy()` removes the namespaces (their veths go with them), the bridge and the hosts files.
 */
export class NetnsNetwork {
  private constructor(
    readonly tag: string,
    readonly bridge: string,
    readonly subnet: string,
    readonly members: NetnsHost[],
  ) {}

  static async create(tag: string, size: number): Promise<NetnsNetwork> {
    const subnet = await freeSubnet();
    // Interface names are at most 15 characters.
    const short = tag.replace(/[^a-z0-9]/gi, '').slice(-8);
    const bridge = `rpb${short}`;
    const members = Array.from({ length: size }, (_, i) => ({ netns: `${tag}-ns${i + 1}`, hostname: `${short}n${i + 1}`, address: `${subnet}.${11 + i}` }));
    const network = new NetnsNetwork(tag, bridge, subnet, members);
    try {
      await ip(['link', 'add', bridge, 'type', 'bridge']);
      await ip(['addr', 'add', `${subnet}.1/24`, 'dev', bridge]);
      await ip(['link', 'set', bridge, 'up']);
      const hosts = ['127.0.0.1 localhost', ...members.map((m) => `${m.address} ${m.hostname}`)].join('\n') + '\n';
      for (const [i, m] of members.entries()) {
        await ip(['netns', 'add', m.netns]);
        const outside = `rpv${short}${i + 1}`;
        await ip(['link', 'add', outside, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', m.netns]);
        await ip(['link', 'set', outside, 'master', bridge, 'up']);
        await network.exec(i, 'ip', ['addr', 'add', `${m.address}/24`, 'dev', 'eth0']);
        await network.exec(i, 'ip', ['link', 'set', 'eth0', 'up']);
        await network.exec(i, 'ip', ['link', 'set', 'lo', 'up']);
        // `ip netns exec` bind-mounts /etc/netns/<ns>/* over /etc: the nodes resolve each other by name.
        mkdirSync(`/etc/netns/${m.netns}`, { recursive: true });
        writeFileSync(`/etc/netns/${m.netns}/hosts`, hosts);
      }
      return network;
    } catch (error) {
      await network.destroy();
      throw error;
    }
  }

  /** argv to run `command` inside member i's namespace. */
  wrap(i: number, command: string, args: string[]): [string, string[]] {
    return ['ip', ['netns', 'exec', this.members[i].netns, command, ...args]];
  }

  async exec(i: number, command: string, args: string[], timeoutMs = 30_000): Promise<string> {
    const [cmd, argv] = this.wrap(i, command, args);
    return (await run(cmd, argv, { timeout: timeoutMs })).stdout;
  }

  /**
   * Cuts the link between members a and b: `both` drops everything between them; `in` drops only
   * what b sends to a (a still sends to b: an asymmetric cut). The host's traffic is untouched.
   */
  async cut(a: number, b: number, direction: CutDirection = 'both'): Promise<void> {
    const peer = this.members[b].address;
    await this.exec(a, 'iptables', ['-w', '-A', 'INPUT', '-s', peer, '-j', 'DROP']);
    if (direction === 'both') await this.exec(a, 'iptables', ['-w', '-A', 'OUTPUT', '-d', peer, '-j', 'DROP']);
  }

  /** Cuts member i off from every other member (both ways). */
  async isolate(i: number): Promise<void> {
    for (let j = 0; j < this.members.length; j++) if (j !== i) await this.cut(i, j, 'both');
  }

  /** Removes every cut. */
  async heal(): Promise<void> {
    for (let i = 0; i < this.members.length; i++) await this.exec(i, 'iptables', ['-w', '-F']).catch(() => undefined);
  }

  /** The DROP rules in force, for a report. */
  async rules(): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < this.members.length; i++) {
      const text = await this.exec(i, 'iptables', ['-w', '-S']).catch(() => '');
      for (const line of text.split('\n')) if (line.includes('DROP') && line.startsWith('-A')) out.push(`${this.members[i].hostname}: ${line}`);
    }
    return out;
  }

  /** Pids of every process still running in member i's namespace (nodes, epmd). */
  async pids(i: number): Promise<number[]> {
    const out = await run('ip', ['netns', 'pids', this.members[i].netns]).then(
      (r) => r.stdout,
      () => '',
    );
    return out.split('\n').filter(Boolean).map(Number);
  }

  /** Kills what runs in the namespaces (each by its pid), then removes namespaces, bridge and hosts files. */
  async destroy(): Promise<void> {
    for (let i = 0; i < this.members.length; i++) {
      for (const pid of await this.pids(i)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone already
        }
      }
    }
    for (const m of this.members) {
      await ip(['netns', 'delete', m.netns]).catch(() => undefined);
      rmSync(`/etc/netns/${m.netns}`, { recursive: true, force: true });
    }
    await ip(['link', 'delete', this.bridge]).catch(() => undefined);
  }
}

async function ip(args: string[]): Promise<void> {
  await run('ip', args, { timeout: 30_000 });
}

/** A 10.213.N (N in 200–249) that no interface on the host uses. */
async function freeSubnet(): Promise<string> {
  const used = (await run('ip', ['-4', '-o', 'addr'])).stdout;
  const start = 200 + (process.pid % 50);
  for (let k = 0; k < 50; k++) {
    const n = 200 + ((start - 200 + k) % 50);
    if (!used.includes(` 10.213.${n}.`)) return `10.213.${n}`;
  }
  throw new Error('no free 10.213.200-249.0/24 on this host');
}
