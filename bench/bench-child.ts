import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { processCpuSeconds } from '../tools/process/service-process';

/**
 * A process of the bench's own (the raw HTTP server, the NestJS-docs peer): started from its
 * compiled entry, ready when it prints `ready` on a line of its own, measured by its pid, stopped
 * by its pid. `SERVICE_NODE_ARGS` (e.g. `--cpu-prof`) applies here as to the services.
 */
export class BenchChild {
  private child?: ChildProcess;

  constructor(
    readonly name: string,
    private readonly entry: string,
    private readonly env: Record<string, string>,
    private readonly logDir: string,
  ) {}

  get pid(): number | undefined {
    return this.child?.exitCode === null && this.child.signalCode === null ? this.child.pid : undefined;
  }

  async start(timeoutMs = 30_000): Promise<void> {
    mkdirSync(this.logDir, { recursive: true });
    const log = createWriteStream(join(this.logDir, `${this.name}.log`), { flags: 'a' });
    const nodeArgs = (process.env.SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const child = spawn(process.execPath, [...nodeArgs, '--enable-source-maps', this.entry], {
      env: { ...process.env, ...this.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stderr!.pipe(log);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name} not ready within ${timeoutMs}ms; see ${this.logDir}/${this.name}.log`)), timeoutMs);
      let seen = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        log.write(chunk);
        seen += chunk.toString();
        if (/^ready$/m.test(seen)) {
          clearTimeout(timer);
          seen = '';
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${this.name} exited (${code}) while starting; see ${this.logDir}/${this.name}.log`));
      });
    });
  }

  cpuSeconds(): number {
    return this.pid ? processCpuSeconds(this.pid) : 0;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.pid) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
