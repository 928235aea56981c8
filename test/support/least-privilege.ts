import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from 'mysql2/promise';
import { testAmqpEndpoint, testMysql, testRabbitmqctl } from '../../tools/harness/test-servers';

const ROOT = join(__dirname, '..', '..');

export interface BrokerDefinitions {
  vhosts: Array<{ name: string }>;
  users: Array<{ name: string; password_hash: string; hashing_algorithm: string; tags: string }>;
  permissions: Array<{ user: string; vhost: string; configure: string; write: string; read: string }>;
}

/** The compose demo's broker definitions (users and permissions), as the broker loads them at boot. */
export const brokerDefinitions = (): BrokerDefinitions => JSON.parse(readFileSync(join(ROOT, 'deploy/rabbitmq/definitions.json'), 'utf8')) as BrokerDefinitions;

/** RabbitMQ's `rabbit_password_hashing_sha256`: base64(salt ‖ sha256(salt ‖ password)), 4-byte salt. */
export function rabbitPasswordHash(password: string, salt = randomBytes(4)): string {
  return Buffer.concat([
    salt,
    createHash('sha256')
      .update(Buffer.concat([salt, Buffer.from(password, 'utf8')]))
      .digest(),
  ]).toString('base64');
}

export function matchesRabbitPasswordHash(password: string, hash: string): boolean {
  const salt = Buffer.from(hash, 'base64').subarray(0, 4);
  return rabbitPasswordHash(password, salt) === hash;
}

const rabbitmqctl = (args: string[], input?: string) =>
  new Promise<string>((resolve, reject) => {
    const [command, ...prefix] = testRabbitmqctl();
    const child = execFile(command, [...prefix, '-q', ...args], { timeout: 60_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`rabbitmqctl ${args[0]}: ${stderr || error.message}`)) : resolve(stdout),
    );
    if (input !== undefined) child.stdin?.end(input);
  });

/**
 * The definitions file applied to a fresh vhost of the local broker, with this run's own user
 * names and passwords: same permission patterns, same tags. One `import_definitions` call
 * (rabbitmqctl is slow to start); `remove()` deletes the vhost and the users.
 */
export class BrokerSandbox {
  readonly vhost: string;
  private readonly passwords = new Map<string, string>();

  constructor(
    readonly runId: string,
    private readonly definitions = brokerDefinitions(),
  ) {
    this.vhost = `${runId}-privilege`;
  }

  /** This run's name for a user of the definitions file. */
  user(name: string): string {
    return `${this.runId}-${name}`;
  }

  /** AMQP URL of a user of the definitions file, on this run's vhost. */
  url(name: string): string {
    const password = this.passwords.get(name);
    if (!password) throw new Error(`${name} is not a user of the definitions file`);
    const { host, port } = testAmqpEndpoint();
    return `amqp://${encodeURIComponent(this.user(name))}:${password}@${host}:${port}/${encodeURIComponent(this.vhost)}`;
  }

  async apply(): Promise<void> {
    const sandboxed = {
      vhosts: [{ name: this.vhost }],
      users: this.definitions.users.map((u) => {
        const password = randomBytes(12).toString('hex');
        this.passwords.set(u.name, password);
        return { ...u, name: this.user(u.name), password_hash: rabbitPasswordHash(password) };
      }),
      permissions: this.definitions.permissions.map((p) => ({ ...p, user: this.user(p.user), vhost: this.vhost })),
    };
    await rabbitmqctl(['import_definitions'], JSON.stringify(sandboxed));
  }

  async remove(): Promise<void> {
    await rabbitmqctl(['delete_vhost', this.vhost]).catch(() => undefined);
    await Promise.all(this.definitions.users.map((u) => rabbitmqctl(['delete_user', this.user(u.name)]).catch(() => undefined)));
  }
}

/** The privileges the demo's init script grants a service's runtime account (e.g. "SELECT, INSERT, UPDATE, DELETE"). */
export function runtimeGrant(): string {
  const script = readFileSync(join(ROOT, 'deploy/mariadb/10-runtime-user.sh'), 'utf8');
  const match = /GRANT ([A-Z, ]+) ON/.exec(script);
  if (!match) throw new Error('deploy/mariadb/10-runtime-user.sh grants nothing');
  return match[1];
}

/**
 * One service's two database accounts, as the MariaDB image and the init script make them: the
 * migration account with ALL on its database (MARIADB_USER), the runtime account with the init
 * script's grant. Created before the database exists: the migration account creates it.
 */
export class DatabaseAccounts {
  readonly runtime: { user: string; password: string };
  readonly migration: { user: string; password: string };

  constructor(
    private readonly admin: Connection,
    readonly database: string,
  ) {
    this.runtime = { user: `${database}_app`, password: randomBytes(12).toString('hex') };
    this.migration = { user: `${database}_mig`, password: randomBytes(12).toString('hex') };
  }

  url(account: 'runtime' | 'migration'): string {
    const { user, password } = this[account];
    const { host, port } = testMysql();
    return `mysql://${user}:${password}@${host}:${port}/${this.database}`;
  }

  async create(): Promise<void> {
    for (const { user, password } of [this.runtime, this.migration]) {
      await this.admin.query(`CREATE USER ?@'%' IDENTIFIED BY ?`, [user, password]);
    }
    await this.admin.query(`GRANT ALL ON \`${this.database}\`.* TO ?@'%'`, [this.migration.user]);
    await this.admin.query(`GRANT ${runtimeGrant()} ON \`${this.database}\`.* TO ?@'%'`, [this.runtime.user]);
  }

  async drop(): Promise<void> {
    await this.admin.query(`DROP DATABASE IF EXISTS \`${this.database}\``);
    for (const { user } of [this.runtime, this.migration]) await this.admin.query(`DROP USER IF EXISTS ?@'%'`, [user]);
  }
}
