import { Env } from '@reliable-payments/config';

/**
 * The servers tests, the reliability and cluster suites and the bench run against: one place
 * reads them. `TEST_MYSQL_URL` (default `mysql://root@127.0.0.1:3306`, an account that may create
 * and drop databases), `RABBITMQ_URL` (default the local broker, guest/guest) and
 * `TEST_RABBITMQCTL` (how to run that broker's rabbitmqctl; default `rabbitmqctl`) and
 * `TEST_AMQP_QUEUE_TYPE` (the queue type the services declare). The support
 * matrix (scripts/ci/matrix.sh) points them at containers of other server versions.
 */
export interface MysqlServer {
  host: string;
  port: number;
  user: string;
  password: string;
}

export function testMysql(env: Env = process.env): MysqlServer {
  const url = new URL(env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306');
  return { host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username || 'root'), password: decodeURIComponent(url.password) };
}

/** The service-style URL of `database` on `server` (what `*_DB_URL` takes). */
export function mysqlUrl(server: MysqlServer, database: string, at: { host: string; port: number } = server): string {
  const credentials = server.password ? `${encodeURIComponent(server.user)}:${encodeURIComponent(server.password)}` : encodeURIComponent(server.user);
  return `mysql://${credentials}@${at.host}:${at.port}/${database}`;
}

/** The queue type the services declare in tests: `TEST_AMQP_QUEUE_TYPE` (classic, quorum), else the services' default. */
export function testQueueType(env: Env = process.env): Env {
  return env.TEST_AMQP_QUEUE_TYPE ? { AMQP_QUEUE_TYPE: env.TEST_AMQP_QUEUE_TYPE } : {};
}

export function testAmqpUrl(env: Env = process.env): string {
  return env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
}

/** The test broker's URL with another host and port (a fault proxy in front of it), same account and vhost. */
export function testAmqpUrlVia(at: { host: string; port: number }, env: Env = process.env): string {
  const url = new URL(testAmqpUrl(env));
  url.hostname = at.host;
  url.port = String(at.port);
  return url.toString().replace(/\/$/, '');
}

/** Where the test broker listens. */
export function testAmqpEndpoint(env: Env = process.env): { host: string; port: number } {
  const url = new URL(testAmqpUrl(env));
  return { host: url.hostname, port: Number(url.port || 5672) };
}

/** The command that runs the test broker's rabbitmqctl, as argv (e.g. `docker exec -i NAME rabbitmqctl`). */
export function testRabbitmqctl(env: Env = process.env): string[] {
  const command = (env.TEST_RABBITMQCTL ?? 'rabbitmqctl').trim().split(/\s+/);
  return command.length > 0 && command[0] !== '' ? command : ['rabbitmqctl'];
}
