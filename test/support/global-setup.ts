import { connect } from 'amqplib';
import { createConnection } from 'mysql2/promise';
import { testAmqpUrl, testMysql } from '../../tools/harness/test-servers';

/**
 * Fails the run at once, with what to start, when RabbitMQ or MySQL is unreachable:
 * better one clear line than a hundred time-outs.
 */
export default async function globalSetup(): Promise<void> {
  const amqpUrl = testAmqpUrl();
  const mysql = testMysql();
  const problems: string[] = [];
  try {
    const connection = await connect(amqpUrl, { timeout: 3_000 });
    await connection.close();
  } catch (error) {
    problems.push(`RabbitMQ is not reachable at ${amqpUrl.replace(/:[^:@/]*@/, ':***@')} (${(error as Error).message}). Start it: rabbitmq-server -detached`);
  }
  try {
    const connection = await createConnection({ ...mysql, connectTimeout: 3_000 });
    await connection.end();
  } catch (error) {
    problems.push(
      `MySQL/MariaDB is not reachable at ${mysql.host}:${mysql.port} (${(error as Error).message}). Start it: start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd`,
    );
  }
  if (problems.length > 0) throw new Error(`\n${problems.join('\n')}\n`);
}
