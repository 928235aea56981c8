import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

const run = (command: string, args: string[], timeoutMs: number) =>
  new Promise<string>((resolve, reject) => {
    execFile(command, args, { cwd: ROOT, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${command} ${args.join(' ')}: ${(stderr || error.message).trim().split('\n').slice(-15).join('\n')}`)) : resolve(stdout),
    );
  });

/**
 * The committed docker-compose.yml under this run's own project name, with the one override this
 * machine needs (test/compose/machine.override.yml) and an env file of its own holding the operator
 * token (a user's `.env`): `docker compose -p <name> -f docker-compose.yml -f <override> ...`.
 */
export class ComposeProject {
  readonly name = `rpcompose${process.pid}`;
  readonly operatorToken = `compose-test-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  private readonly dir = mkdtempSync(join(tmpdir(), 'compose-test-'));
  private readonly envFile = join(this.dir, '.env');

  constructor() {
    writeFileSync(this.envFile, `OPERATOR_TOKEN=${this.operatorToken}\n`, { mode: 0o600 });
  }

  compose(args: string[], timeoutMs = 120_000): Promise<string> {
    return run(
      'docker',
      ['compose', '-p', this.name, '--env-file', this.envFile, '-f', 'docker-compose.yml', '-f', 'test/compose/machine.override.yml', ...args],
      timeoutMs,
    );
  }

  /** `up -d --wait`: returns when every named service is healthy (or running, without a check). */
  up(services: string[], profile?: string): Promise<string> {
    return this.compose([...(profile ? ['--profile', profile] : []), 'up', '-d', '--wait', '--no-build', ...services], 300_000);
  }

  /** What is left of this project on the engine: containers, volumes, networks. */
  async leftovers(): Promise<string[]> {
    const filter = `label=com.docker.compose.project=${this.name}`;
    const lists = await Promise.all([
      run('docker', ['ps', '-a', '-q', '--filter', filter], 30_000),
      run('docker', ['volume', 'ls', '-q', '--filter', filter], 30_000),
      run('docker', ['network', 'ls', '-q', '--filter', filter], 30_000),
    ]);
    return lists.flatMap((list) => list.split('\n').filter(Boolean));
  }

  /** `down -v`, the cluster profile's services too. */
  async down(): Promise<void> {
    await this.compose(['--profile', 'cluster', 'down', '-v', '--remove-orphans', '--timeout', '10'], 180_000);
  }

  /** Removes the env file (after `down`). */
  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** The engine answers; the message says what to run when it does not. */
  static async engineReady(): Promise<void> {
    await run('docker', ['info', '--format', '{{.ServerVersion}}'], 15_000).catch((error: Error) => {
      throw new Error(`no Docker engine answers (${error.message.split('\n')[0]}): run \`npm run compose:images\` first, it starts one and builds the images`);
    });
  }
}
