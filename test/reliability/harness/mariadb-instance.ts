import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { freePort } from '../../../tools/process/service-process';

/**
 * A MariaDB server of the harness's own (own data directory and port), so a scenario can SIGKILL
 * or SIGSTOP it without touching the machine's server. Tracked by pid.
 */
export class MariaDbInstance {
  private readonly dir = mkdtempSync(join(tmpdir(), 'reliability-mariadb-'));
  private child?: ChildProcess;
  port = 0;

  constructor(private readonly extraArgs: string[] = []) {}

  get pid(): number | undefined {
    return this.child?.exitCode === null && this.child.signalCode === null ? this.child.pid : undefined;
  }

  async start(): Promise<void> {
    if (!this.port) {
      this.port = await freePort();
      execFileSync(
        'mariadb-install-db',
        ['--no-defaults', '--user=root', `--datadir=${this.dir}/data`, '--auth-root-authentication-method=normal', '--skip-test-db'],
        { stdio: 'ignore' },
      );
    }
    this.child = spawn(
      'mariadbd',
      [
        '--no-defaults',
        '--user=root',
        `--datadir=${this.dir}/data`,
        `--port=${this.port}`,
        `--socket=${this.dir}/mysqld.sock`,
        '--bind-address=127.0.0.1',
        '--skip-name-resolve=0',
        ...this.extraArgs,
      ],
      { stdio: 'ignore' },
    );
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        const connection = await createConnection({ host: '127.0.0.1', port: this.port, user: 'root', connectTimeout: 1_000 });
        await connection.end();
        return;
      } catch (error) {
        if (Date.now() > deadline || !this.pid) throw new Error(`dedicated MariaDB did not start: ${(error as Error).message}`, { cause: error });
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  signal(signal: NodeJS.Signals): void {
    if (this.child?.pid) process.kill(this.child.pid, signal);
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.pid) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }

  async destroy(): Promise<void> {
    if (this.pid) this.signal('SIGCONT');
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
