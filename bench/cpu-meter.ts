import { execFileSync } from 'node:child_process';
import { processCpuSeconds } from '../tools/process/service-process';

/** Anything whose CPU the meter reads: a service, a process of the bench's own. */
export interface CpuSource {
  cpuSeconds(): number;
}

/**
 * CPU seconds per 1000 orders over one phase, from /proc: each service, the bench process itself
 * (its REST clients and the grant-count sampler: not the system under test), and the database and
 * broker servers, where the rest of the two cores goes.
 */
export class CpuMeter {
  private readonly servers: Record<string, number>;
  private before: { services: Record<string, number>; client: NodeJS.CpuUsage; servers: Record<string, number> } | undefined;

  /** `brokerPids`: a cluster's nodes; by default the oldest beam.smp on this machine. */
  constructor(
    private readonly services: Record<string, CpuSource>,
    brokerPids?: number[],
  ) {
    this.servers = serverPids(brokerPids);
  }

  start(): void {
    this.before = {
      services: mapValues(this.services, (s) => s.cpuSeconds()),
      client: process.cpuUsage(),
      servers: mapValues(this.servers, (pid) => processCpuSeconds(pid)),
    };
  }

  perThousandOrders(orders: number): Record<string, number> {
    if (!this.before) throw new Error('CpuMeter.start() was not called');
    const before = this.before;
    const perThousand = (seconds: number) => Math.round((seconds / orders) * 1000 * 100) / 100;
    const figures = mapValues(this.services, (s, k) => perThousand(s.cpuSeconds() - before.services[k]));
    const client = process.cpuUsage(before.client);
    figures.benchClient = perThousand((client.user + client.system) / 1e6);
    // The servers are shared with anything else running on the machine: read these as an upper bound.
    for (const [k, pid] of Object.entries(this.servers)) figures[k] = perThousand(processCpuSeconds(pid) - before.servers[k]);
    return figures;
  }
}

function serverPids(brokerPids?: number[]): Record<string, number> {
  const servers: Record<string, number> = {};
  for (const [i, pid] of (brokerPids ?? []).entries()) servers[`rabbitmq-${i + 1}`] = pid;
  for (const [name, command] of [['mariadb', 'mariadbd'], ...(brokerPids ? [] : [['rabbitmq', 'beam.smp']])]) {
    try {
      servers[name] = Number(execFileSync('pgrep', ['-o', '-x', command], { encoding: 'utf8' }).trim());
    } catch {
      // not on this machine (remote servers): not reported
    }
  }
  return servers;
}

function mapValues<V, R>(record: Record<string, V>, f: (value: V, key: string) => R): Record<string, R> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v, k)]));
}
