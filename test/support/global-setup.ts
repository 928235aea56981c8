import { connect } from 'amqplib';
import { createConnection } from 'mysql2/promise';

/**
 * Fails the run at once, with what to start, when RabbitMQ or MySQL is unreachable:
 * better one clear line than a hundred time-outs.
 */
export default async function globalSetup(): Promise<void> {
  const amqpUrl = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
  const mysql = new URL(process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306');
  const problems: string[] = [];
  try {
    const connection = await connect(amqpUrl, { timeout: 3_000 });
    await connection.close();
  } catch (error) {
    problems.push(`RabbitMQ is not reachable at ${amqpUrl.replace(/:[^:@/]*@/, ':***@')} (${(error as Error).message}). Start it: rabbitmq-server -detached`);
  }
  try {
    const connection = await createConnection({
      host: mysql.hostname,
      port: Number(mysql.port || 3306),
      user: decodeURIComponent(mysql.username || 'root'),
      password: decodeURIComponent(mysql.password),
      connectTimeout: 3_000,
    });
    await connection.end();
  } catch (error) {
    problems.push(`MySQL/MariaDB is not reachable at ${mysql.host} (${(error as Error).message}). Start it: start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd`);
  }
  if (problems.length > 0) throw new Error(`\n${problems.join('\n')}\n`);
}
