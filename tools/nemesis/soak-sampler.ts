import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { ServiceProcess } from '../process/service-process';

/** One service instance at one moment of a soak. */
export interface SoakSample {
  /** Seconds since the soak started. */
  t: number;
  service: string;
  rssMb: number;
  /** Open file descriptors, and how many of them are sockets (broker, database, HTTP). */
  fds: number;
  sockets: number;
  /** Node.js active handles (prom-client's nodejs_active_handles_total from /metrics). */
  handles?: number;
  /** Connections its database server counts for the service's database (its pool's use). */
  dbConnections?: number;
}

/** RSS, descriptors and sockets of a live process, from /proc (undefined once it exited). */
export function processFigures(pid: number): Pick<SoakSample, 'rssMb' | 'fds' | 'sockets'> | undefined {
  try {
    const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    const fds = readdirSync(`/proc/${pid}/fd`);
    let sockets = 0;
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) sockets++;
      } catch {
        // closed meanwhile
      }
    }
    return { rssMb: rss ? Math.round(Number(rss[1]) / 102.4) / 10 : 0, fds: fds.length, sockets };
  } catch {
    return undefined;
  }
}

/** `nodejs_active_handles_total` from a service's Prometheus text, if it answers. */
export async function activeHandles(service: ServiceProcess): Promise<number | undefined> {
  const text = await fetch(`${service.url}/metrics`, { signal: AbortSignal.timeout(3_000) }).then(
    (r) => (r.ok ? r.text() : ''),
    () => '',
  );
  const match = /^nodejs_active_handles_total(?:\{[^}]*\})?\s+([\d.]+)/m.exec(text);
  return match ? Number(match[1]) : undefined;
}

/** Median of a list (0 for none). */
export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Growth of one figure of one service over a soak: the median of its last tenth of samples over
 * the median of the tenth after warm-up (20–30 % of the run). About 1 is flat; a leak keeps rising.
 */
export function growth(samples: readonly SoakSample[], service: string, figure: 'rssMb' | 'fds' | 'sockets' | 'handles' | 'dbConnections'): number | undefined {
  const own = samples.filter((s) => s.service === service && typeof s[figure] === 'number');
  if (own.length < 10) return undefined;
  const end = own[own.length - 1].t;
  const early = own.filter((s) => s.t >= end * 0.2 && s.t <= end * 0.3).map((s) => s[figure] as number);
  const late = own.filter((s) => s.t >= end * 0.9).map((s) => s[figure] as number);
  const base = median(early);
  return base > 0 ? Math.round((median(late) / base) * 100) / 100 : undefined;
}
