import { Env } from '@app/config';

/**
 * The servers tests, the reliability and cluster suites and the bench run against: one place
 * reads them. `TEST_MYSQL_URL` (default `mysql://root@127.0.0.1:3306`, an account that may create
 * and drop databases) and `RABBITMQ_URL` (default the local broker, guest/guest).
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

export function testAmqpUrl(env: Env = process.env): string {
  return env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
}
