import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { connectAny } from '../../../tools/harness/run-namespace';
import { testAmqpUrl } from '../../../tools/harness/test-servers';

const run = promisify(execFile);
export const AMQP_URL = testAmqpUrl();

/** Runs one operation on a short-lived connection (scenarios close all connections, ours too). */
export async function withChannel<T>(work: (channel: import('amqplib').Channel) => Promise<T>, urls = AMQP_URL): Promise<T> {
  const connection = await connectAny(urls);
  connection.on('error', () => undefined);
  try {
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    return await work(channel);
  } finally {
    await connection.close().catch(() => undefined);
  }
}

export async function queueDepths(queues: string[], urls = AMQP_URL): Promise<Record<string, number>> {
  return withChannel(async (channel) => {
    const depths: Record<string, number> = {};
    for (const queue of queues) depths[queue] = (await channel.checkQueue(queue)).messageCount;
    return depths;
  }, urls);
}

export async function closeAllConnections(): Promise<void> {
  await run('rabbitmqctl', ['-q', 'close_all_connections', 'reliability scenario']);
}

/** Restarts the RabbitMQ application (durable queues and persistent messages survive). */
export async function restartBroker(): Promise<void> {
  await run('rabbitmqctl', ['-q', 'stop_app']);
  await run('rabbitmqctl', ['-q', 'start_app']);
  await run('rabbitmqctl', ['-q', 'await_startup']);
}
