import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
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
 * token and the cluster's Erlang cookie (a user's `.env`): `docker compose -p <name> -f docker-compose.yml -f <override> ...`.
 */
export class ComposeProject {
  readonly name = `rpcompose${process.pid}`;
  readonly operatorToken = `compose-test-${randomBytes(16).toString('hex')}`;
  private readonly dir = mkdtempSync(join(tmpdir(), 'compose-test-'));
  private readonly envFile = join(this.dir, '.env');

  constructor() {
    const cookie = randomBytes(24).toString('hex');
    writeFileSync(this.envFile, `OPERATOR_TOKEN=${this.operatorToken}\nCLUSTER_ERLANG_COOKIE=${cookie}\n`, { mode: 0o600 });
  }

  compose(args: string[], timeoutMs = 120_000): Promise<string> {
    return run(
      'docker',
      ['compose', '-p', this.name, '--env-file', this.envFile, '-f', 'docker-compose.yml', '-f', 'test/compose/machine.override.yml', ...args],
      timeoutMs,
    );
  }

  /** `up -d --wait`: returns when every named service is healthy (or running, without a check). */
  async up(services: string[], profile?: string): Promise<string> {
    const profiles = profile ? ['--profile', profile] : [];
    try {
      return await this.compose([...profiles, 'up', '-d', '--wait', '--no-build', ...services], 300_000);
    } catch (error) {
      // What the containers said is the diagnosis: their last lines go with the failure.
      const logs = await this.compose([...profiles, 'logs', '--no-color', '--tail', '25', ...services]).catch((e: Error) => e.message);
      throw new Error(`${(error as Error).message}\n--- last log lines ---\n${logs}`, { cause: error });
    }
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

  /** Removes what an earlier run of this test left behind when it was killed (it would hold the ports). */
  static async removeStale(): Promise<void> {
    const projects = (await run('docker', ['ps', '-a', '--format', '{{.Label "com.docker.compose.project"}}'], 30_000)).split('\n');
    for (const name of new Set(projects.filter((p) => /^rpcompose\d+$/.test(p)))) {
      await run('docker', ['compose', '-p', name, '--profile', 'cluster', 'down', '-v', '--remove-orphans', '--timeout', '5'], 180_000).catch(() => undefined);
    }
  }
}
