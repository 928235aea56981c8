import { execFile } from 'node:child_process';
import { chownSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { NetnsNetwork } from './netns-network';

const run = promisify(execFile);

/** The Debian package's user and home (its Erlang cookie is shared by every node, and rabbitmqctl). */
const RABBITMQ_HOME = '/var/lib/rabbitmq';

export interface RabbitNodeSpec {
  /** Erlang node name, e.g. `c1-4711@localhost`. */
  name: string;
  amqpPort: number;
  distPort: number;
  /** The node's own directory (data, logs, plugins file), owned by the rabbitmq user. */
  dir: string;
  /** Extra Erlang VM arguments (RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS), e.g. `-kernel net_ticktime 15`. */
  erlArgs?: string;
  /** Run the node inside member `index` of this network (its own address; links can be cut). */
  net?: { network: NetnsNetwork; index: number };
}

function rabbitmqIds(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('rabbitmq:'));
  if (!line) throw new Error('no rabbitmq user: is the Debian rabbitmq-server package installed?');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * A RabbitMQ node of its own beside the machine's broker: own node name, AMQP and distribution
 * ports, data and log directories, bound to 127.0.0.1. Never touches the system broker (5672).
 * `rabbitmq-server` drops to the rabbitmq user, so its directories must belong to it (root-owned
 * ones make it exit silently).
 */
export class RabbitNode {
  constructor(readonly spec: RabbitNodeSpec) {}

  get name(): string {
    return this.spec.name;
  }

  /** The address clients use: 127.0.0.1, or the node's own in its namespace. */
  get address(): string {
    const { net } = this.spec;
    return net ? net.network.members[net.index].address : '127.0.0.1';
  }

  get url(): string {
    return `amqp://guest:guest@${this.address}:${this.spec.amqpPort}`;
  }

  /** host:port, as the services' /health names the node they use. */
  get label(): string {
    return `${this.address}:${this.spec.amqpPort}`;
  }

  /** argv for `command` run where the node runs (inside its namespace, if it has one). */
  private where(command: string, args: string[]): [string, string[]] {
    const { net } = this.spec;
    return net ? net.network.wrap(net.index, command, args) : [command, args];
  }

  private env(): NodeJS.ProcessEnv {
    const { dir } = this.spec;
    return {
      ...process.env,
      HOME: RABBITMQ_HOME,
      RABBITMQ_NODENAME: this.spec.name,
      RABBITMQ_NODE_IP_ADDRESS: this.address,
      RABBITMQ_NODE_PORT: String(this.spec.amqpPort),
      RABBITMQ_DIST_PORT: String(this.spec.distPort),
      RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
      RABBITMQ_LOG_BASE: join(dir, 'log'),
      RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
      RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq'),
      // Not inherited from a caller that set them for the system broker.
      RABBITMQ_PID_FILE: join(dir, 'pid'),
      ...(this.spec.erlArgs ? { RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: this.spec.erlArgs } : {}),
      ...this.envFileOverride(),
    };
  }

  /**
   * The machine's /etc/rabbitmq/rabbitmq-env.conf pins epmd and the distribution to 127.0.0.1,
   * which a node in a namespace cannot use to reach its peers: such a node (and rabbitmqctl for
   * it) reads an env file of its own instead.
   */
  private envFileOverride(): NodeJS.ProcessEnv {
    return this.spec.net ? { RABBITMQ_CONF_ENV_FILE: join(this.spec.dir, 'rabbitmq-env.conf') } : {};
  }

  /**
   * Starts the node (`-detached`) and waits until it runs; data left by a killed run is reused.
   * On this shared, loaded machine a 3.10 node now and then stays "booting" for good (seen stuck in
   * a feature-flag migration's Mnesia transaction); one that has not booted after `stuckAfterMs`
   * is killed (by its own pid) and started again, up to two more times.
   */
  async start(timeoutMs = 240_000, stuckAfterMs = 75_000): Promise<void> {
    const { dir } = this.spec;
    const { uid, gid } = rabbitmqIds();
    for (const sub of ['', 'mnesia', 'log']) {
      mkdirSync(join(dir, sub), { recursive: true });
      chownSync(join(dir, sub), uid, gid);
    }
    writeFileSync(join(dir, 'enabled_plugins'), '[].\n');
    chownSync(join(dir, 'enabled_plugins'), uid, gid);
    // A node in a namespace is reached over its own address, where `guest` may not log in by default.
    if (this.spec.net) {
      writeFileSync(join(dir, 'rabbitmq.conf'), 'loopback_users = none\n');
      writeFileSync(join(dir, 'rabbitmq-env.conf'), "# epmd and the distribution listen on the namespace's own address\n");
    }
    const deadline = Date.now() + timeoutMs;
    let lastError = '';
    for (let launch = 1; launch <= 3 && Date.now() < deadline; launch++) {
      if (this.pid()) await this.kill();
      await run(...this.where('rabbitmq-server', ['-detached']), { env: this.env() });
      const stuckAt = Math.min(deadline, Date.now() + stuckAfterMs);
      // `-detached` returns before the node registers with epmd, and await_startup fails at once on
      // a node it cannot find yet: retry it until the node is up or counts as stuck.
      while (Date.now() < stuckAt) {
        try {
          await this.ctl(['await_startup', '--timeout', '20'], 30_000);
          return;
        } catch (error) {
          lastError = (error as Error).message.split('\n')[0];
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      }
    }
    throw new Error(`${this.name} did not start within ${timeoutMs}ms (logs: ${join(dir, 'log')}): ${lastError}`);
  }

  /** rabbitmqctl against this node only. */
  async ctl(args: string[], timeoutMs = 60_000): Promise<string> {
    const { stdout } = await run(...this.where('rabbitmqctl', ['-q', '-n', this.spec.name, ...args]), {
      env: { ...process.env, HOME: RABBITMQ_HOME, ...this.envFileOverride() },
      timeout: timeoutMs,
    });
    return stdout;
  }

  /** The node's OS pid: found by its RABBITMQ_NODENAME in /proc/<pid>/environ (not on the command line). */
  pid(): number | undefined {
    const needle = `RABBITMQ_NODENAME=${this.spec.name}\0`;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        if (!readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('beam')) continue;
        if (`${readFileSync(`/proc/${entry}/environ`, 'utf8')}\0`.includes(needle)) return Number(entry);
      } catch {
        // a process that exited meanwhile
      }
    }
    return undefined;
  }

  /** SIGKILL of the node's Erlang VM: a crash, no goodbye to its peers or clients. */
  async kill(): Promise<void> {
    const pid = this.pid();
    if (!pid) return;
    process.kill(pid, 'SIGKILL');
    const deadline = Date.now() + 15_000;
    while (this.pid() === pid) {
      if (Date.now() > deadline) throw new Error(`${this.name} (pid ${pid}) did not die`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** SIGSTOP / SIGCONT: a node that hangs (a suspended VM) and comes back. */
  signal(signal: 'SIGSTOP' | 'SIGCONT'): void {
    const pid = this.pid();
    if (!pid) throw new Error(`${this.name} is not running`);
    process.kill(pid, signal);
  }

  /** Graceful stop of the whole node (the Erlang VM exits). */
  async stop(): Promise<void> {
    if (!this.pid()) return;
    await this.ctl(['stop'], 120_000).catch(() => undefined);
    const deadline = Date.now() + 30_000;
    while (this.pid()) {
      if (Date.now() > deadline) return this.kill();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Raises (tiny fraction) or lifts (0.4, the default) this node's memory alarm. */
  async setMemoryWatermark(fraction: number): Promise<void> {
    await this.ctl(['set_vm_memory_high_watermark', String(fraction)]);
  }
}
