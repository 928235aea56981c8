import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** Commands run from the project root (npm scripts, jest). */
const ROOT = process.cwd();

export type ServiceKind = 'order' | 'coupon' | 'red-packet';

const ENTRY: Record<ServiceKind, string> = {
  order: 'dist/apps/order-service/src/main.js',
  coupon: 'dist/apps/coupon-service/src/main.js',
  'red-packet': 'dist/apps/red-packet-service/src/main.js',
};
const PORT_VAR: Record<ServiceKind, string> = { order: 'ORDER_PORT', coupon: 'COUPON_PORT', 'red-packet': 'RED_PACKET_PORT' };

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * One service as a real process, tracked by its pid (never killed by name). Output goes to a log
 * file per process; an exit the scenario did not cause is recorded as an unexpected exit.
 */
export class ServiceProcess {
  private child?: ChildProcess;
  private expectingExit = false;
  readonly unexpectedExits: string[] = [];
  port = 0;
  starts = 0;

  constructor(
    readonly kind: ServiceKind,
    readonly name: string,
    private readonly env: Record<string, string>,
    private readonly logDir: string,
  ) {}

  get pid(): number | undefined {
    return this.child?.exitCode === null && this.child.signalCode === null ? this.child.pid : undefined;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts (or restarts) the process and waits for it to answer /health with 200. */
  async start(extraEnv: Record<string, string> = {}, timeoutMs = 30_000): Promise<void> {
    if (this.pid) throw new Error(`${this.name} is already running`);
    this.port ||= await freePort();
    this.starts++;
    mkdirSync(this.logDir, { recursive: true });
    const log = createWriteStream(join(this.logDir, `${this.name}.log`), { flags: 'a' });
    // SERVICE_NODE_ARGS: extra node flags for profiling (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
    const nodeArgs = (process.env.SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const child = spawn(process.execPath, [...nodeArgs, '--enable-source-maps', ENTRY[this.kind]], {
      cwd: ROOT,
      env: { ...process.env, ...this.env, ...extraEnv, [PORT_VAR[this.kind]]: String(this.port), NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    // A process armed with a test crash point is expected to die there.
    const env = { ...this.env, ...extraEnv };
    this.expectingExit = Boolean(env.TEST_CRASH_AT);
    child.on('exit', (code, signal) => {
      if (!this.expectingExit) this.unexpectedExits.push(`${this.name} exited (${signal ?? code})`);
    });
    this.child = child;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.pid) throw new Error(`${this.name} exited while starting; see ${this.logDir}/${this.name}.log`);
      const ok = await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(2_000) }).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      if (Date.now() > deadline) throw new Error(`${this.name} not healthy within ${timeoutMs}ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** CPU seconds (user + system) the process has used so far, from /proc. */
  cpuSeconds(): number {
    return this.pid ? processCpuSeconds(this.pid) : 0;
  }

  /** Peak resident memory (VmHWM) in MiB, from /proc. */
  peakMemoryMb(): number {
    if (!this.pid) return 0;
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : 0;
  }

  /** Sends `signal` to this process's pid and waits for it to exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL', timeoutMs = 20_000): Promise<void> {
    const child = this.child;
    if (!child || !this.pid) return;
    this.expectingExit = true;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }

  /** Resolves when the process exits by itself (e.g. at a test crash point). */
  async waitForExit(timeoutMs: number): Promise<void> {
    const child = this.child;
    if (!child || !this.pid) return;
    this.expectingExit = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => child.once('exit', () => resolve())),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${this.name} did not exit within ${timeoutMs}ms`)), timeoutMs))),
    ]).finally(() => clearTimeout(timer));
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc. */
export function processCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks (100/s on Linux)
}
