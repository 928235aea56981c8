import { ConsoleLogger, INestApplication } from '@nestjs/common';
import { createServer } from 'node:net';
import { loadConsoleConfig } from '@reliable-payments/config';
import { startConsole } from '../../apps/console/src/console.app';
import { TEST_OPERATOR_TOKEN, TestSystem } from '../support/test-system';
import { testAmqpUrl } from '../../tools/harness/test-servers';

/** The console signs in with the token the test system gives the services (the operator contract). */
export const OPERATOR_TOKEN = TEST_OPERATOR_TOKEN;

/** A free TCP port (so a consumer service restarted with another ladder keeps its URL). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The console, in-process, pointed at a TestSystem's services and broker prefix. */
export async function startTestConsole(system: TestSystem, urls: { order: string; coupon: string; redPacket: string }, pollInterval = '200ms'): Promise<{ app: INestApplication; url: string }> {
  const config = loadConsoleConfig({
    CONSOLE_PORT: '0',
    ORDER_URL: urls.order,
    COUPON_URL: urls.coupon,
    RED_PACKET_URL: urls.redPacket,
    RABBITMQ_URL: testAmqpUrl(),
    AMQP_NAME_PREFIX: system.prefix,
    OPERATOR_TOKEN,
    CONSOLE_POLL_INTERVAL: pollInterval,
  });
  const app = await startConsole(config, new ConsoleLogger({ logLevels: ['fatal'], colors: false }));
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}

/** JSON to the console; `operator` adds the Bearer token a script would send. */
export async function consoleApi(url: string, method: string, path: string, body?: unknown, operator = false): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (operator) headers.authorization = `Bearer ${OPERATOR_TOKEN}`;
  const response = await fetch(`${url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}
