import type { FaultProxy } from '@reliable-payments/chaos';
import { RabbitCluster } from '../cluster/rabbit-cluster';
import { ServiceClient } from '../harness/service-client';
import { ServiceProcess } from '../process/service-process';
import { FaultKind, PlannedFault } from './fault-schedule';

/** What the nemesis acts on. */
export interface NemesisWorld {
  cluster: RabbitCluster;
  services: () => ServiceProcess[];
  /** The order service's database, reached through this proxy (down = refused, open connections cut). */
  orderDbProxy: FaultProxy;
  /** The services' OPERATOR_TOKEN, for their /chaos routes (coupon and red-packet run with CHAOS_ENABLED). */
  operatorToken: string;
}

/** One line of the schedule as it happened. */
export interface HappenedFault {
  /** Seconds since the start of the run. */
  t: number;
  action: 'inject' | 'heal' | 'error';
  kind: FaultKind | 'final-heal';
  target: string;
  detail?: string;
}

/** Undoes a fault; may say what it found (e.g. whether an armed instance crashed). */
type Heal = () => Promise<string | void>;

/**
 * Runs a fault schedule against a live system: each fault is injected at its time and healed
 * after its hold, whatever else is going on (faults overlap). Everything it does is logged with
 * the time it happened; an action that fails is logged as an error and the run goes on (a
 * restart that fails is retried by `healAll`). `healAll` undoes whatever may be left.
 */
export class Nemesis {
  readonly happened: HappenedFault[] = [];
  private startedAt = 0;
  /** Instances running armed with TEST_CRASH_AT: the final heal restarts them unarmed. */
  private readonly armed = new Set<string>();
  /**
   * The last fault of each target, healed or not: a fault waits for the one before it on its
   * target. The schedule never overlaps two on one target, but an inject that takes seconds (a
   * restart) pushes its heal later than planned (seed 14: two crash points on coupon-2 interleaved).
   */
  private readonly lastOnTarget = new Map<string, Promise<void>>();

  constructor(private readonly world: NemesisWorld) {}

  /** Injects and heals every fault of `schedule`; resolves when the last one is healed. */
  async run(schedule: readonly PlannedFault[]): Promise<void> {
    this.startedAt = Date.now();
    const timers: NodeJS.Timeout[] = [];
    const done = schedule.map(
      (fault) =>
        new Promise<void>((resolve) => {
          timers.push(setTimeout(() => void this.queued(fault).finally(resolve), fault.at * 1000));
        }),
    );
    try {
      await Promise.all(done);
    } finally {
      timers.forEach(clearTimeout);
    }
  }

  get elapsed(): number {
    return Math.round((Date.now() - this.startedAt) / 100) / 10;
  }

  private log(action: HappenedFault['action'], kind: HappenedFault['kind'], target: string, detail?: string): void {
    this.happened.push({ t: this.elapsed, action, kind, target, ...(detail ? { detail } : {}) });
  }

  private queued(fault: PlannedFault): Promise<void> {
    const mine = (this.lastOnTarget.get(fault.target) ?? Promise.resolve()).then(() => this.one(fault));
    this.lastOnTarget.set(fault.target, mine);
    return mine;
  }

  private async one(fault: PlannedFault): Promise<void> {
    let heal: Heal;
    try {
      heal = await this.inject(fault);
      this.log('inject', fault.kind, fault.target, fault.latencyMs ? `${fault.latencyMs} ms` : undefined);
    } catch (error) {
      this.log('error', fault.kind, fault.target, `inject: ${reason(error)}`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, fault.holdSeconds * 1000));
    try {
      const found = await heal();
      this.log('heal', fault.kind, fault.target, found || undefined);
    } catch (error) {
      this.log('error', fault.kind, fault.target, `heal: ${reason(error)}`);
    }
  }

  private node(target: string) {
    return this.world.cluster.nodes[Number(target.replace('node-', '')) - 1];
  }

  private service(name: string): ServiceProcess {
    const found = this.world.services().find((s) => s.name === name);
    if (!found) throw new Error(`no service ${name}`);
    return found;
  }

  private chaosClients(kind: 'coupon' | 'red-packet'): ServiceClient[] {
    return this.world
      .services()
      .filter((s) => s.kind === kind && s.pid)
      .map((s) => new ServiceClient(s.url, { operatorToken: this.world.operatorToken }));
  }

  /** Injects one fault; returns what heals it. */
  private async inject(fault: PlannedFault): Promise<Heal> {
    const { cluster } = this.world;
    switch (fault.kind) {
      case 'broker-sigkill': {
        const node = this.node(fault.target);
        await node.kill();
        return () => node.start();
      }
      case 'broker-sigstop': {
        const node = this.node(fault.target);
        node.signal('SIGSTOP');
        return async () => node.signal('SIGCONT');
      }
      case 'partition': {
        const node = this.node(fault.target);
        // A cut that fails half-way must not stay half in force (a partial partition nobody planned).
        await cluster.net.isolate(cluster.index(node)).catch(async (error: Error) => {
          await cluster.net.heal();
          throw error;
        });
        // Broker faults never overlap (planFaults), so no other cut is in force to keep.
        return () => cluster.net.heal();
      }
      case 'memory-alarm': {
        const node = this.node(fault.target);
        await node.setMemoryWatermark(0.0000001);
        return () => node.setMemoryWatermark(0.4);
      }
      case 'coupon-db-down':
      case 'coupon-db-hang':
      case 'red-packet-db-down':
      case 'red-packet-db-slow': {
        const kind = fault.kind.startsWith('coupon') ? 'coupon' : 'red-packet';
        const mode = fault.kind.endsWith('down') ? 'down' : fault.kind.endsWith('hang') ? 'hang' : 'slow';
        // Every instance of the service, through its own proxy: "the database" is down for all of
        // them. An instance that is restarting does not answer: the fault holds for the others,
        // and must be healed for them too (a failed inject that healed nothing left one instance's
        // database hung until the final heal, seed 664986274).
        const injected = await Promise.allSettled(this.chaosClients(kind).map((c) => c.injectDatabaseFault({ mode, latencyMs: fault.latencyMs })));
        if (!injected.some((r) => r.status === 'fulfilled')) throw new Error(`no ${kind} instance took the fault`);
        // An instance restarted meanwhile starts healthy; healing every running one covers both. Retried
        // for a while: an instance may be restarting right now.
        return async () => {
          const deadline = Date.now() + 30_000;
          for (;;) {
            const healed = await Promise.allSettled(this.chaosClients(kind).map((c) => c.healDatabase()));
            if (healed.every((r) => r.status === 'fulfilled')) return;
            if (Date.now() > deadline) throw new Error(`${healed.filter((r) => r.status === 'rejected').length} ${kind} instances did not heal`);
            await new Promise((resolve) => setTimeout(resolve, 1_000));
          }
        };
      }
      case 'order-db-down': {
        this.world.orderDbProxy.setMode('down');
        return async () => this.world.orderDbProxy.setMode('up');
      }
      case 'service-sigkill':
      case 'service-sigterm': {
        const service = this.service(fault.target);
        await service.kill(fault.kind === 'service-sigkill' ? 'SIGKILL' : 'SIGTERM');
        return () => service.start({}, 60_000);
      }
      case 'crash-point': {
        // Restarted armed: it SIGKILLs itself at the n-th pass of its fault point (a real crash at
        // the worst moment), or is still running when the hold ends.
        const service = this.service(fault.target);
        await service.kill('SIGTERM');
        this.armed.add(service.name);
        await service.start({ TEST_CRASH_AT: fault.crashAt! }, 60_000).catch((error: Error) => {
          if (service.pid) throw error; // else: it reached its crash point while starting
        });
        return async () => {
          const crashed = !service.pid;
          if (!crashed) await service.kill('SIGTERM');
          this.armed.delete(service.name);
          await service.start({}, 60_000);
          return crashed ? `crashed at ${fault.crashAt}` : 'not reached';
        };
      }
    }
  }

  /**
   * The final heal: no cut, no suspended or stopped node, no alarm, every database up, every
   * service running. Each step is retried until it holds or `timeoutMs` passes.
   */
  async healAll(timeoutMs = 180_000): Promise<void> {
    const { cluster } = this.world;
    const deadline = Date.now() + timeoutMs;
    const retry = async (what: string, step: () => Promise<void>) => {
      for (;;) {
        try {
          return await step();
        } catch (error) {
          if (Date.now() > deadline) {
            this.log('error', 'final-heal', what, reason(error));
            throw error;
          }
          await new Promise((resolve) => setTimeout(resolve, 1_000));
        }
      }
    };
    await retry('network', () => cluster.net.heal());
    for (const node of cluster.nodes) {
      await retry(node.name, async () => {
        if (node.pid()) node.signal('SIGCONT');
        else await node.start();
      });
      // The alarm is lifted where the VM answers; a node that is stuck booting is left to the
      // convergence wait, which restarts it (and a restarted node has the default watermark).
      await node.setMemoryWatermark(0.4).catch((error: Error) => this.log('error', 'final-heal', node.name, `watermark: ${reason(error)}`));
    }
    this.world.orderDbProxy.setMode('up');
    for (const service of this.world.services()) {
      await retry(service.name, async () => {
        if (this.armed.has(service.name)) {
          await service.kill('SIGTERM');
          this.armed.delete(service.name);
        }
        if (!service.pid) await service.start({}, 60_000);
        if (service.kind !== 'order') await new ServiceClient(service.url, { operatorToken: this.world.operatorToken }).healDatabase();
      });
    }
    this.log('heal', 'final-heal', 'everything');
  }
}

/** An error in one line for the report: the message's first line, and the last line of a command's stderr. */
function reason(error: unknown): string {
  const first = (error as Error).message.split('\n')[0];
  const stderr = String((error as { stderr?: unknown }).stderr ?? '')
    .trim()
    .split('\n')
    .pop();
  return stderr && !first.includes(stderr) ? `${first}: ${stderr}` : first;
}
